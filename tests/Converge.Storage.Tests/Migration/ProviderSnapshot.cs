using Converge.Core.Addressing;
using Converge.Core.Storage;

namespace Converge.Storage.Tests.Migration;

/// <summary>
/// Everything <see cref="MigrationTestData"/> wrote, read back through a provider's stores as one
/// comparable text: two providers hold the same data when their snapshots are equal.
/// </summary>
internal static class ProviderSnapshot
{
    public static async Task<List<string>> TakeAsync(IStores stores)
    {
        var lines = new List<string>();
        foreach (var account in await stores.Accounts.ListAsync())
        {
            lines.Add($"account {account.Jid} {account.Msisdn} {account.Email} {account.CpmEnabled} {account.RoamingCpm}");
            lines.AddRange(account.Credentials.Select(c =>
                $"  scram {c.Hash} {Convert.ToHexString(c.Salt)} {c.Iterations} {Convert.ToHexString(c.StoredKey)} {Convert.ToHexString(c.ServerKey)}"));
            var (items, version) = await stores.Rosters.GetAsync(account.Jid);
            lines.Add($"  roster v{version}");
            lines.AddRange(items.Select(i => $"    {i.Contact} {i.Name} [{string.Join('|', i.Groups)}] {i.State} {i.Approved} {i.InRoster}"));
            lines.AddRange((await stores.Offline.PeekAllAsync(account.Jid, 1000)).Select(m => $"  offline {m.Id} {m.Stored.ToUnixTimeMilliseconds()} {m.StanzaXml}"));
            lines.Add($"  blocked {string.Join(' ', await stores.BlockLists.GetAsync(account.Jid))}");
            lines.Add($"  vcard {await stores.VCards.GetAsync(account.Jid)}");
            lines.Add($"  aliases {string.Join(' ', (await stores.NumberAliases.ContactsAsync(account.Jid)).Order())}");
            var preferences = await stores.Archive.GetPreferencesAsync(account.Jid);
            lines.Add($"  mam prefs {preferences.Default} always={string.Join(',', preferences.Always)} never={string.Join(',', preferences.Never)}");
            var page = await stores.Archive.QueryAsync(new ArchiveQuery(account.Jid, Max: 1000));
            lines.Add($"  archive count={page.Count} complete={page.Complete}");
            lines.AddRange(page.Messages.Select(m => $"    {m.Id} {m.With} {m.Timestamp.ToUnixTimeMilliseconds()} {m.Outgoing} {m.Thread} {m.StanzaXml}"));
        }

        lines.AddRange((await stores.Outbox.PendingAsync(1000)).Select(i =>
            $"outbox {i.Id} {i.Lane} {i.Channel} {i.Payload} {i.Attempts} {i.NextAttempt.ToUnixTimeMilliseconds()} {i.Created.ToUnixTimeMilliseconds()}"));
        foreach (var legacy in new[] { MigrationTestData.Peter, MigrationTestData.Petra })
        {
            lines.AddRange((await stores.ThreadMap.BindingsForAsync(legacy)).Select(b => $"binding {b.PoolNumber} {b.LegacyAddress} {b.CpmUser} {b.Thread} {b.LastUsed.ToUnixTimeMilliseconds()}"));
            var latest = await stores.ThreadMap.LatestForCorrespondentAsync(legacy);
            lines.Add($"latest {legacy} {latest?.CpmUser} {latest?.Thread} {latest?.LastUsed.ToUnixTimeMilliseconds()}");
        }

        var message = await stores.ThreadMap.FindMessageIdAsync("<m1@mail.example>");
        lines.Add($"message-id {message?.CpmUser} {message?.LegacyAddress} {message?.Thread} {message?.Subject}");
        var thread = await stores.ThreadMap.FindEmailThreadAsync(MigrationTestData.Alice, "bob@mail.example", "t-mail");
        lines.Add($"email thread {thread?.Subject} {thread?.LatestMessageId}");
        lines.Add($"account changes {await stores.Accounts.GetChangeCounterAsync()}");
        return lines;
    }
}

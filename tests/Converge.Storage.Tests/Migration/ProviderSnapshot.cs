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
            lines.Add($"account {account.Jid} {account.Msisdn} {account.Email} {account.CpmEnabled} {account.RoamingCpm} locked={account.Locked}");
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
            foreach (var node in await stores.Pep.LoadAsync(account.Jid))
            {
                lines.Add($"  pep {node.Node} {node.AccessModel} {node.PersistItems} {node.MaxItems}");
                lines.AddRange(node.Items.Select(i => $"    {i.Id} {i.Published} {i.PayloadXml}"));
            }

            lines.Add($"  private {await stores.PrivateXml.GetAsync(account.Jid, "storage", "storage:bookmarks")}");
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
        foreach (var room in await stores.Rooms.LoadAllAsync())
        {
            lines.Add($"room {room.Room} {room.Configuration} {room.Subject} {room.SubjectBy} {room.Salt}");
            lines.AddRange(room.Affiliations.OrderBy(a => a.Key.ToString(), StringComparer.Ordinal).Select(a => $"  {a.Key} {a.Value}"));
        }

        foreach (var slot in new[] { "slot-1", "slot-2" })
        {
            var upload = await stores.Uploads.FindAsync(slot);
            lines.Add($"upload {upload?.Slot} {upload?.Owner} {upload?.FileName} {upload?.Size} {upload?.ContentType} {upload?.CreatedAt.ToUnixTimeMilliseconds()} {upload?.UploadedAt?.ToUnixTimeMilliseconds()}");
        }

        lines.Add($"account changes {await stores.Accounts.GetChangeCounterAsync()}");
        return lines;
    }
}

using Converge.Core.Accounts;
using Converge.Core.Addressing;
using Converge.Core.Roster;
using Converge.Storage.Sqlite;
using Converge.Xmpp.Sasl;

namespace Converge.Bench.Provisioning;

/// <summary>
/// Creates the benchmark users straight in Converge's SQLite store through its public APIs, with
/// the SCRAM-SHA-1 and SCRAM-SHA-256 credentials `converge user add` would store. One
/// `converge user add` process per user takes minutes for 1,000 users; this takes seconds.
/// Existing users are left as they are. With --contacts, every user's roster gets its ring
/// neighbours as mutual ("both") contacts, as the presence scenario expects.
/// </summary>
internal static class ConvergeProvisioner
{
    public static async Task<int> RunAsync(ProvisionOptions options, CancellationToken cancellationToken)
    {
        var accounts = new Account[options.Users];
        await Parallel.ForAsync(0, options.Users, cancellationToken, (i, _) =>
        {
            var password = options.Password(i);
            accounts[i] = new Account(
                Jid.Create(options.UserName(i), options.Domain),
                [ScramCredentials.Derive("SHA-1", password, iterations: options.Iterations), ScramCredentials.Derive("SHA-256", password, iterations: options.Iterations)],
                Msisdn: options.Msisdn(i));
            return ValueTask.CompletedTask;
        }).ConfigureAwait(false);

        var stores = await SqliteStores.OpenAsync(options.Path, ct: cancellationToken).ConfigureAwait(false);
        var created = 0;
        await using (stores.ConfigureAwait(false))
        {
            foreach (var account in accounts)
            {
                if (await stores.Accounts.CreateAsync(account, cancellationToken).ConfigureAwait(false))
                {
                    created++;
                }
            }

            var rosters = new List<Task>();
            for (var i = 0; i < options.Users; i++)
            {
                var owner = Jid.Parse(options.BareJid(i));
                foreach (var contact in options.ContactsOf(i))
                {
                    var item = new RosterItem(Jid.Parse(options.BareJid(contact)), options.UserName(contact), ["bench"], SubscriptionState.Both);
                    rosters.Add(stores.Rosters.SetItemAsync(owner, item, cancellationToken));
                }
            }

            // Many writes in flight at once: the store's writer commits them in groups.
            await Task.WhenAll(rosters).ConfigureAwait(false);
        }

        return created;
    }
}

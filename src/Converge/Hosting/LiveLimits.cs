using System.Globalization;
using Converge.Xmpp.Server;

namespace Converge.Hosting;

/// <summary>
/// The client limits a configuration reload (SIGHUP, a file change, <c>converge agreement reload</c>)
/// changes in the running server. Each is read where it applies, on every use, from the one
/// <see cref="ClientLimits"/> object the server was started with, so writing the new value there is
/// the whole change: a session that is already bound stays, the next message, bind, idle check or
/// offline store sees the new figure. Limits built into an object at start (the per-address
/// connection counter, the login throttle, the sweep interval) are not listed and wait for a restart.
/// </summary>
internal static class LiveLimits
{
    private sealed record Entry(string Name, Func<ClientLimits, object> Read, Action<ClientLimits, ClientLimits> Copy);

    private static readonly Entry[] Entries =
    [
        new("MessagesPerMinute", l => l.MessagesPerMinute, (to, from) => to.MessagesPerMinute = from.MessagesPerMinute),
        new("SubscriptionRequestsPerMinute", l => l.SubscriptionRequestsPerMinute, (to, from) => to.SubscriptionRequestsPerMinute = from.SubscriptionRequestsPerMinute),
        new("MaxSessionsPerAccount", l => l.MaxSessionsPerAccount, (to, from) => to.MaxSessionsPerAccount = from.MaxSessionsPerAccount),
        new("MaxOfflineMessages", l => l.MaxOfflineMessages, (to, from) => to.MaxOfflineMessages = from.MaxOfflineMessages),
        new("MaxOutboundQueue", l => l.MaxOutboundQueue, (to, from) => to.MaxOutboundQueue = from.MaxOutboundQueue),
        new("MaxQueuedBytes", l => l.MaxQueuedBytes, (to, from) => to.MaxQueuedBytes = from.MaxQueuedBytes),
        new("NegotiationTimeout", l => l.NegotiationTimeout, (to, from) => to.NegotiationTimeout = from.NegotiationTimeout),
        new("IdleTimeout", l => l.IdleTimeout, (to, from) => to.IdleTimeout = from.IdleTimeout),
        new("ResumeTimeout", l => l.ResumeTimeout, (to, from) => to.ResumeTimeout = from.ResumeTimeout),
    ];

    /// <summary>The names of the limits that take effect without a restart (docs/operations.md lists them).</summary>
    public static IEnumerable<string> Names => Entries.Select(e => "Limits.Client." + e.Name);

    /// <summary>Writes the reloadable limits of <paramref name="loaded"/> into the running <paramref name="live"/> ones; returns what changed, "name old -> new".</summary>
    public static IReadOnlyList<string> Apply(ClientLimits live, ClientLimits loaded)
    {
        var changes = new List<string>();
        foreach (var entry in Entries)
        {
            var before = entry.Read(live);
            var after = entry.Read(loaded);
            if (!before.Equals(after))
            {
                entry.Copy(live, loaded);
                changes.Add(string.Create(CultureInfo.InvariantCulture, $"Limits.Client.{entry.Name} {before} -> {after}"));
            }
        }

        return changes;
    }
}

using System.Diagnostics.Metrics;
using Converge.Core.Diagnostics;

namespace Converge.Xmpp.Diagnostics;

/// <summary>What the anti-abuse features did: archive quota trims, spam reports, stanzas stopped by the domain blocklist.</summary>
internal static class AbuseMetrics
{
    private static readonly Counter<long> QuotaTrimmed = ConvergeMeter.Counter("converge.archive.quota.trimmed", "{message}", "Archived messages dropped, oldest first, to keep a user under Archive.QuotaBytesPerUser");

    private static readonly Counter<long> SpamReports = ConvergeMeter.Counter("converge.spam.reports", "{report}", "Spam and abuse reports (XEP-0377) received from users, by reason");

    private static readonly Counter<long> DomainBlocked = ConvergeMeter.Counter("converge.blocked_domain.stanzas", "{stanza}", "Stanzas stopped by the server-wide domain blocklist, by direction");

    private static readonly Counter<long> RtblDropped = ConvergeMeter.Counter("converge.rtbl.dropped", "{stanza}", "Inbound federation stanzas dropped because their sender is on a real-time blocklist (Federation.Rtbl)");

    public static void BlockedByRtbl() => RtblDropped.Add(1);

    public static void Trimmed(int messages) => QuotaTrimmed.Add(messages);

    public static void SpamReported(string reason) => SpamReports.Add(1, ConvergeMeter.Tag("reason", reason));

    public static void BlockedByDomain(bool inbound) => DomainBlocked.Add(1, ConvergeMeter.Tag("direction", inbound ? "in" : "out"));
}

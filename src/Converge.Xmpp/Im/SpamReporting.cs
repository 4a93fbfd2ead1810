using Converge.Core.Addressing;
using Converge.Core.Storage;
using Converge.Xmpp.Routing.Policy;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Im;

/// <summary>
/// XEP-0377: a report attached to a XEP-0191 block request is stored for the operator (<c>converge
/// report list</c>) and counted. Reads the current form (<c>urn:xmpp:reporting:1</c>, a reason URI on
/// each item's report) and the first one (<c>urn:xmpp:reporting:0</c>, a <c>&lt;spam/&gt;</c> or
/// <c>&lt;abuse/&gt;</c> child, on the item or on the whole block as slixmpp sends it). A report over the
/// rate is dropped, never the block. Bounded: a user's reports are limited per minute and each text is cut, so
/// reporting cannot be used to fill the operator's disk.
/// </summary>
internal sealed partial class SpamReporting(ISpamReportStore store, ILogger logger, int perMinute = SpamReporting.DefaultPerMinute)
{
    public const int DefaultPerMinute = 10;
    public const int MaxTextLength = 1000;
    private const string ReasonPrefix = "urn:xmpp:reporting:";

    private readonly SenderRateBuckets _rates = new();

    /// <summary>Reports dropped because their sender was past the rate since start.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    private long _dropped;

    /// <summary>The reports a block request carries, one per reported item; empty when it carries none.</summary>
    public static List<(Jid Reported, string Reason, string? Text)> Read(XmlElement block)
    {
        var reports = new List<(Jid, string, string?)>();
        var wholeBlock = Report(block);
        foreach (var item in block.Elements("item", Namespaces.Blocking))
        {
            if (Jid.TryParse(item.GetAttribute("jid"), out var jid) && (Report(item) ?? wholeBlock) is { } report)
            {
                reports.Add((jid, report.Reason, report.Text));
            }
        }

        return reports;
    }

    private static (string Reason, string? Text)? Report(XmlElement parent)
    {
        if (parent.Element("report", Namespaces.Reporting) is { } current)
        {
            var reason = current.GetAttribute("reason") switch
            {
                ReasonPrefix + "spam" => "spam",
                ReasonPrefix + "abuse" => "abuse",
                _ => "other",
            };
            return (reason, Cut(current.ChildText("text", Namespaces.Reporting)));
        }

        if (parent.Element("report", Namespaces.ReportingLegacy) is { } legacy)
        {
            var reason = legacy.Element("abuse", Namespaces.ReportingLegacy) is not null ? "abuse" : "spam";
            return (reason, Cut(legacy.ChildText("text", Namespaces.ReportingLegacy)));
        }

        return null;
    }

    private static string? Cut(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Trim() is { Length: > MaxTextLength } long_ ? long_[..MaxTextLength] : text.Trim();

    /// <summary>Stores the reports of a block request that succeeded; returns how many were stored.</summary>
    public async Task<int> TakeAsync(Jid reporter, XmlElement block, CancellationToken cancellationToken)
    {
        var stored = 0;
        foreach (var (reported, reason, text) in Read(block))
        {
            if (!_rates.TryTake(reporter.Bare.ToString(), perMinute))
            {
                Interlocked.Increment(ref _dropped);
                LogDropped(logger, reporter.Bare.ToString(), reported.ToString());
                continue;
            }

            await store.AddAsync(new SpamReport(0, reporter.Bare.ToString(), reported.ToString(), reason, text, DateTimeOffset.UtcNow), cancellationToken)
                .ConfigureAwait(false);
            Diagnostics.AbuseMetrics.SpamReported(reason);
            LogReported(logger, reporter.Bare.ToString(), reported.ToString(), reason);
            stored++;
        }

        return stored;
    }

    [LoggerMessage(EventId = 4540, Level = LogLevel.Information, Message = "{Reporter} reported {Reported} for {Reason} (XEP-0377)")]
    private static partial void LogReported(ILogger logger, string reporter, string reported, string reason);

    [LoggerMessage(EventId = 4541, Level = LogLevel.Warning, Message = "Report by {Reporter} about {Reported} not stored: too many reports from that user this minute")]
    private static partial void LogDropped(ILogger logger, string reporter, string reported);
}

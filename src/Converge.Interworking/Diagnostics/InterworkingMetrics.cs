using System.Diagnostics.Metrics;
using Converge.Core.Diagnostics;
using Converge.Core.Storage;

namespace Converge.Interworking.Diagnostics;

/// <summary>
/// The interworking function's instruments, labelled by channel (sms, email) only. Outbox depth and
/// oldest age are read from the store by the host (they are state, not events).
/// </summary>
internal static class InterworkingMetrics
{
    private static readonly Counter<long> Submits = ConvergeMeter.Counter("converge.interworking.submits", "{message}", "Messages handed to the legacy network (SMSC accepted, mail relay accepted)");

    private static readonly Counter<long> Retries = ConvergeMeter.Counter("converge.interworking.retries", "{attempt}", "Send attempts that failed for now; the lane waits and tries again");

    private static readonly Counter<long> Throttles = ConvergeMeter.Counter("converge.interworking.throttles", "{attempt}", "Send attempts the legacy network refused as throttled (SMPP ESME_RTHROTTLED)");

    private static readonly Counter<long> PermanentFailures = ConvergeMeter.Counter("converge.interworking.permanent_failures", "{message}", "Messages given up on; the sender was told");

    private static readonly Histogram<double> ReceiptLatency = ConvergeMeter.Histogram<double>(
        "converge.interworking.delivery_report.latency", "s", "Time from submission to the final delivery report of a message whose sender asked for a receipt",
        0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600);

    public static void Submitted(OutboxChannel channel) => Submits.Add(1, Tag(channel));

    public static void Retried(OutboxChannel channel) => Retries.Add(1, Tag(channel));

    public static void Throttled(OutboxChannel channel) => Throttles.Add(1, Tag(channel));

    public static void GaveUp(OutboxChannel channel) => PermanentFailures.Add(1, Tag(channel));

    public static void DeliveryReported(OutboxChannel channel, TimeSpan latency) => ReceiptLatency.Record(Math.Max(0, latency.TotalSeconds), Tag(channel));

    public static string Label(OutboxChannel channel) => channel == OutboxChannel.Sms ? "sms" : "email";

    private static KeyValuePair<string, object?> Tag(OutboxChannel channel) => new("channel", Label(channel));
}

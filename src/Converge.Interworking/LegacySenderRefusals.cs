using System.Diagnostics.Metrics;

namespace Converge.Interworking;

/// <summary>
/// Counts what the legacy doors refuse because its sender cannot be a legacy address (an SMS source
/// that is no number and no sender name, a mail whose From: is no routable address): the figure an
/// operator is asked about when someone tries to pose as a subscriber through the gateways.
/// </summary>
internal static class LegacySenderRefusals
{
    /// <summary>The meter the host exports (OpenTelemetry: AddMeter with this name).</summary>
    public const string MeterName = "Converge.Interworking";

    public const string InstrumentName = "converge.legacy.senders_refused";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Refused = Meter.CreateCounter<long>(
        InstrumentName, unit: "{message}", description: "Inbound SMS and mail refused because their sender is not a valid legacy address");

    public static void Count(string channel) => Refused.Add(1, new KeyValuePair<string, object?>("channel", channel));
}

using System.Diagnostics.Metrics;

namespace Converge.Core.Diagnostics;

/// <summary>
/// The one <see cref="Meter"/> every subsystem defines its instruments on. The host subscribes to it by
/// <see cref="Name"/> (OpenTelemetry, <c>GET /metrics</c>); with no listener an instrument costs a field read.
/// Instruments are created once per process (static): a process runs one server. Every instrument has a
/// name, a UCUM unit and a description an operator reads on the scrape; the factories below take exactly
/// those, so that each subsystem's metrics class is a list of its instruments and nothing else.
/// </summary>
public static class ConvergeMeter
{
    public const string Name = "Converge";

    public static Meter Meter { get; } = new(Name);

    public static Counter<long> Counter(string name, string unit, string description) =>
        Meter.CreateCounter<long>(name, unit, description);

    public static UpDownCounter<long> UpDownCounter(string name, string unit, string description) =>
        Meter.CreateUpDownCounter<long>(name, unit, description);

    /// <param name="buckets">The bucket boundaries the exporter should use (advice; the defaults suit no figure here).</param>
    public static Histogram<T> Histogram<T>(string name, string unit, string description, params T[] buckets)
        where T : struct =>
        Meter.CreateHistogram(name, unit, description, tags: null, advice: new InstrumentAdvice<T> { HistogramBucketBoundaries = buckets });

    /// <summary>One label of a measurement; values must come from a closed set (never a JID).</summary>
    public static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);
}

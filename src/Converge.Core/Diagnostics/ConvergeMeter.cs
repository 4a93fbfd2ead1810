using System.Diagnostics.Metrics;

namespace Converge.Core.Diagnostics;

/// <summary>
/// The one <see cref="Meter"/> every subsystem defines its instruments on. The host subscribes to it by
/// <see cref="Name"/> (OpenTelemetry, <c>GET /metrics</c>); with no listener an instrument costs a field read.
/// Instruments are created once per process (static): a process runs one server.
/// </summary>
public static class ConvergeMeter
{
    public const string Name = "Converge";

    public static Meter Meter { get; } = new(Name);
}

using OpenTelemetry.Metrics;

namespace Converge.Metrics;

/// <summary>
/// The .NET runtime instruments whose names end in <c>.count</c> become gauges named <c>..._count</c>,
/// which Prometheus reserves for histograms and summaries (<c>promtool check metrics</c> refuses them):
/// they are exported under plural names instead.
/// </summary>
internal static class RuntimeMetricNames
{
    private static readonly (string Instrument, string Exported)[] Renamed =
    [
        ("dotnet.assembly.count", "dotnet.assemblies.loaded"),
        ("dotnet.process.cpu.count", "dotnet.process.cpus"),
        ("dotnet.thread_pool.thread.count", "dotnet.thread_pool.threads"),
        ("dotnet.timer.count", "dotnet.timers"),
    ];

    public static MeterProviderBuilder Rename(MeterProviderBuilder metrics)
    {
        foreach (var (instrument, exported) in Renamed)
        {
            metrics.AddView(instrument, exported);
        }

        return metrics;
    }
}

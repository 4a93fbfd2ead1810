using System.Globalization;

namespace Converge.Bench.Metrics;

/// <summary>Busy and total jiffies of all CPUs together (the "cpu" line of /proc/stat).</summary>
internal readonly record struct MachineSample(long Busy, long Total)
{
    /// <summary>Fraction of the machine's CPU capacity used between two samples (1.0 = every core busy).</summary>
    public static double Utilisation(MachineSample from, MachineSample to) =>
        to.Total - from.Total <= 0 ? double.NaN : (double)(to.Busy - from.Busy) / (to.Total - from.Total);
}

/// <summary>Reads /proc/stat, to show whether the machine's cores were saturated during a measurement.</summary>
internal static class MachineProbe
{
    public static MachineSample Sample()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").First(l => l.StartsWith("cpu ", StringComparison.Ordinal));
            var values = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();

            // user nice system idle iowait irq softirq steal ...: idle and iowait are the idle part.
            var total = values.Take(8).Sum();
            var idle = values[3] + values[4];
            return new MachineSample(total - idle, total);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
        {
            return default;
        }
    }
}

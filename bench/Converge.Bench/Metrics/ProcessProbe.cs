using System.Globalization;

namespace Converge.Bench.Metrics;

/// <summary>One reading of a server's CPU time and resident memory from /proc (summed over its processes).</summary>
internal readonly record struct ProcessSample(TimeSpan CpuTime, long ResidentBytes);

/// <summary>
/// Reads the measured server's CPU time (utime + stime of /proc/PID/stat) and resident memory
/// (VmRSS of /proc/PID/status). The load generator shares the cores with the server, so CPU
/// time per delivered message is the figure that survives a load generator that cannot
/// saturate the server. A federated server is two processes (the two providers): their figures
/// are summed, since every message costs work on both.
/// </summary>
internal sealed class ProcessProbe
{
    // USER_HZ: the unit of utime/stime; 100 on every Linux ABI .NET runs on.
    private const double ClockTicksPerSecond = 100;

    private readonly int[] _pids;

    private ProcessProbe(int[] pids)
    {
        _pids = pids;
    }

    /// <summary>A probe of the given processes that exist, or null when none is given or none exists.</summary>
    public static ProcessProbe? For(params int?[] pids)
    {
        int[] existing = [.. pids.OfType<int>().Where(p => File.Exists($"/proc/{p}/stat"))];
        return existing.Length == 0 ? null : new ProcessProbe(existing);
    }

    public ProcessSample Sample()
    {
        var cpu = TimeSpan.Zero;
        long resident = 0;
        foreach (var pid in _pids)
        {
            try
            {
                cpu += CpuTime(pid);
                resident += ResidentBytes(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                // Gone: it counts as nothing from now on.
            }
        }

        return new ProcessSample(cpu, resident);
    }

    private static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");

        // The command name may contain spaces and parentheses: fields are counted after its last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((utime + stime) / ClockTicksPerSecond);
    }

    private static long ResidentBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}

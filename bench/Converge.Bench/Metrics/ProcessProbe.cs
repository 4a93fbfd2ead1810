using System.Globalization;

namespace Converge.Bench.Metrics;

/// <summary>One reading of a process's CPU time and resident memory from /proc.</summary>
internal readonly record struct ProcessSample(TimeSpan CpuTime, long ResidentBytes);

/// <summary>
/// Reads the measured server's CPU time (utime + stime of /proc/PID/stat) and resident memory
/// (VmRSS of /proc/PID/status). The load generator shares the cores with the server, so CPU
/// time per delivered message is the figure that survives a load generator that cannot
/// saturate the server.
/// </summary>
internal sealed class ProcessProbe(int pid)
{
    // USER_HZ: the unit of utime/stime; 100 on every Linux ABI .NET runs on.
    private const double ClockTicksPerSecond = 100;

    public int Pid { get; } = pid;

    public static ProcessProbe? For(int? pid) => pid is { } p && File.Exists($"/proc/{p}/stat") ? new ProcessProbe(p) : null;

    public ProcessSample Sample()
    {
        try
        {
            return new ProcessSample(CpuTime(), ResidentBytes());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return new ProcessSample(TimeSpan.Zero, 0);
        }
    }

    private TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{Pid}/stat");

        // The command name may contain spaces and parentheses: fields are counted after its last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((utime + stime) / ClockTicksPerSecond);
    }

    private long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
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

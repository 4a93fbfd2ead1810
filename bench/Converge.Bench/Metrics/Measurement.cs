using System.Diagnostics;

namespace Converge.Bench.Metrics;

/// <summary>What happened to the server, the load generator and the machine over a measured interval.</summary>
internal sealed record MeasuredInterval(
    TimeSpan Elapsed,
    TimeSpan? ServerCpu,
    long? ServerResidentBytes,
    TimeSpan GeneratorCpu,
    double MachineUtilisation)
{
    /// <summary>Server CPU time per operation in microseconds, or NaN without a server pid or operations.</summary>
    public double ServerCpuMicrosecondsPer(long operations) =>
        ServerCpu is { } cpu && operations > 0 ? cpu.TotalMicroseconds / operations : double.NaN;

    /// <summary>Share of one core the server used (1.0 = one core busy all the time).</summary>
    public double ServerCores => ServerCpu is { } cpu && Elapsed > TimeSpan.Zero ? cpu / Elapsed : double.NaN;

    public double GeneratorCores => Elapsed > TimeSpan.Zero ? GeneratorCpu / Elapsed : double.NaN;
}

/// <summary>Started at the beginning of a measured interval; <see cref="Stop"/> gives the deltas.</summary>
internal sealed class Measurement
{
    private readonly ProcessProbe? _server;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly ProcessSample? _serverAtStart;
    private readonly TimeSpan _generatorAtStart = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly MachineSample _machineAtStart = MachineProbe.Sample();

    private Measurement(ProcessProbe? server)
    {
        _server = server;
        _serverAtStart = server?.Sample();
    }

    public static Measurement Start(ProcessProbe? server) => new(server);

    public MeasuredInterval Stop()
    {
        var elapsed = Stopwatch.GetElapsedTime(_started);
        var server = _server?.Sample();
        return new MeasuredInterval(
            elapsed,
            server is { } s && _serverAtStart is { } s0 ? s.CpuTime - s0.CpuTime : null,
            server?.ResidentBytes,
            Process.GetCurrentProcess().TotalProcessorTime - _generatorAtStart,
            MachineSample.Utilisation(_machineAtStart, MachineProbe.Sample()));
    }
}

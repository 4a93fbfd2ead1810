using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Converge.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project bench/Converge.Benchmarks -- --filter '*'` (add `--job short` for a
/// quick look). In-process: no generated project per benchmark, which also keeps BenchmarkDotNet 0.14
/// (the newest in the registry here) working on .NET 10.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        var config = DefaultConfig.Instance
            .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).AsDefault())
            .AddDiagnoser(MemoryDiagnoser.Default);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}

using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;

namespace Converge.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project bench/Converge.Benchmarks -- --filter '*'` (add `--job short` for a
/// quick look). Each benchmark runs in its own generated process, BenchmarkDotNet's default.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        var config = DefaultConfig.Instance
            .AddDiagnoser(MemoryDiagnoser.Default);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}

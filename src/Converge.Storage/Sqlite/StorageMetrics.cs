using System.Diagnostics;
using System.Diagnostics.Metrics;
using Converge.Core.Diagnostics;

namespace Converge.Storage.Sqlite;

/// <summary>The storage instruments: how many writes share one grouped commit, and how long the commit takes.</summary>
internal static class StorageMetrics
{
    private static readonly Histogram<int> CommitSize = ConvergeMeter.Histogram<int>(
        "converge.storage.commit.size", "{write}", "Writes grouped in one committed SQLite transaction",
        1, 2, 4, 8, 16, 32, 64, 128, 256, 512);

    private static readonly Histogram<double> CommitDuration = ConvergeMeter.Histogram<double>(
        "converge.storage.commit.duration", "s", "Time from BEGIN to COMMIT of one grouped SQLite transaction",
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5);

    // Counts, so that commits, writes and reads per unit of work (per SMS, per login) can be read off
    // a running server with dotnet-counters; the histograms above give sizes and times, not totals.
    private static readonly Counter<long> Commits = ConvergeMeter.Counter("converge.storage.commits", "{transaction}", "Grouped SQLite transactions committed");

    private static readonly Counter<long> Writes = ConvergeMeter.Counter("converge.storage.writes", "{write}", "Write operations committed (each one statement or a few, under its own savepoint)");

    private static readonly Counter<long> Reads = ConvergeMeter.Counter("converge.storage.reads", "{read}", "Reads run on a reader connection (each its own read transaction)");

    private static readonly Counter<long> Failures = ConvergeMeter.Counter("converge.storage.commit.failures", "{transaction}", "Grouped SQLite transactions that failed and were rolled back");

    public static void Committed(int writes, long startTimestamp)
    {
        CommitSize.Record(writes);
        Commits.Add(1);
        Writes.Add(writes);
        CommitDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds);
    }

    public static void Failed() => Failures.Add(1);

    public static void Read() => Reads.Add(1);
}

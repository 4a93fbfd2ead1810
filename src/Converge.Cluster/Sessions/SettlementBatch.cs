using System.Collections.Concurrent;

namespace Converge.Cluster.Sessions;

/// <summary>
/// The handover ids of one other node's messages that became safe here, gathered for a short while
/// and sent back to it in one envelope: a burst of acknowledged messages costs one report, not one each.
/// </summary>
internal sealed class SettlementBatch
{
    /// <summary>Ids in one report at most.</summary>
    public const int MaxPerReport = 4096;

    private readonly ConcurrentQueue<long> _ids = new();
    private int _scheduled;

    /// <summary>Adds an id; true when the caller must schedule a report (none is pending).</summary>
    public bool Add(long handover)
    {
        _ids.Enqueue(handover);
        return Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0;
    }

    /// <summary>
    /// Takes what was gathered, in reports of at most <see cref="MaxPerReport"/> ids. The pending flag is
    /// cleared first, so an id added while this drains schedules the next report instead of being left.
    /// </summary>
    public List<long[]> Drain()
    {
        Volatile.Write(ref _scheduled, 0);
        var reports = new List<long[]>();
        var report = new List<long>();
        while (_ids.TryDequeue(out var id))
        {
            report.Add(id);
            if (report.Count == MaxPerReport)
            {
                reports.Add([.. report]);
                report.Clear();
            }
        }

        if (report.Count > 0)
        {
            reports.Add([.. report]);
        }

        return reports;
    }
}

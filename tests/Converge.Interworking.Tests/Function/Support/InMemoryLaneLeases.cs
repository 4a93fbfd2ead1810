using System.Data.Common;
using Converge.Core.Storage;

namespace Converge.Interworking.Tests.Function.Support;

/// <summary>
/// The lease table of several nodes in memory, with the PostgreSQL store's rules (own or lapsed rows
/// are taken), on a clock the test chooses; a node marked unreachable gets the database errors a
/// node cut off from its database gets. Counts the statements each node sends.
/// </summary>
internal sealed class InMemoryLaneLeases(TimeProvider clock) : IOutboxLaneLeaseStore
{
    private readonly Dictionary<(OutboxChannel, string), (string Node, DateTimeOffset Expires)> _rows = [];
    private readonly HashSet<string> _unreachable = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _statements = new(StringComparer.Ordinal);

    public int Statements(string node)
    {
        lock (_rows)
        {
            return _statements.GetValueOrDefault(node);
        }
    }

    public string? Holder(OutboxChannel channel, string lane)
    {
        lock (_rows)
        {
            return _rows.TryGetValue((channel, lane), out var row) && row.Expires > clock.GetUtcNow() ? row.Node : null;
        }
    }

    /// <summary>From now on <paramref name="node"/>'s statements fail: it cannot renew, as a node that died or lost its database.</summary>
    public void CutOff(string node)
    {
        lock (_rows)
        {
            _unreachable.Add(node);
        }
    }

    public Task<IReadOnlyList<string>> TakeAsync(string node, OutboxChannel channel, IReadOnlyCollection<string> lanes, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        lock (_rows)
        {
            Count(node);
            var now = clock.GetUtcNow();
            var held = new List<string>();
            foreach (var lane in lanes.Distinct(StringComparer.Ordinal))
            {
                if (!_rows.TryGetValue((channel, lane), out var row) || row.Node == node || row.Expires < now)
                {
                    _rows[(channel, lane)] = (node, now + duration);
                    held.Add(lane);
                }
            }

            return Task.FromResult<IReadOnlyList<string>>(held);
        }
    }

    public Task<int> ReleaseAsync(string node, OutboxChannel channel, CancellationToken cancellationToken = default)
    {
        lock (_rows)
        {
            Count(node);
            var mine = _rows.Where(r => r.Key.Item1 == channel && r.Value.Node == node).Select(r => r.Key).ToList();
            mine.ForEach(k => _rows.Remove(k));
            return Task.FromResult(mine.Count);
        }
    }

    public Task<int> ForgetLapsedAsync(CancellationToken cancellationToken = default)
    {
        lock (_rows)
        {
            var now = clock.GetUtcNow();
            var lapsed = _rows.Where(r => r.Value.Expires < now).Select(r => r.Key).ToList();
            lapsed.ForEach(k => _rows.Remove(k));
            return Task.FromResult(lapsed.Count);
        }
    }

    private void Count(string node)
    {
        _statements[node] = _statements.GetValueOrDefault(node) + 1;
        if (_unreachable.Contains(node))
        {
            throw new UnreachableDatabaseException();
        }
    }

    private sealed class UnreachableDatabaseException() : DbException("the database is unreachable");
}

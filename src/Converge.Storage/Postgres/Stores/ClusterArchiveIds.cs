using Npgsql;

namespace Converge.Storage.Postgres.Stores;

/// <summary>
/// Archive ids for one node of a cluster: (milliseconds since 2026-01-01) &lt;&lt; 23 | slot &lt;&lt; 13 | counter.
/// Each node holds a slot of its own (archive_id_slots), so no two nodes hand out one id; ids grow with
/// time across nodes (within clock skew), so a client paging the archive by id (XEP-0313 after-id)
/// does not skip what another node stored a moment later, as blocks of a shared counter would make
/// it; and they lie above every id a single node or the SQLite migration ever handed out.
/// Called under the archive's allocation lock.
/// </summary>
internal sealed class ClusterArchiveIds(int slot)
{
    public const int MaxSlots = 1 << SlotBits;

    private const int CounterBits = 13;
    private const int SlotBits = 10;
    private const long CounterMask = (1L << CounterBits) - 1;

    private static readonly long Epoch = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private readonly long _slotBits = (long)slot << CounterBits;
    private long _last;

    public long Next()
    {
        var now = Math.Max(0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - Epoch);
        var fresh = (now << (SlotBits + CounterBits)) | _slotBits;

        // More than 8192 ids in one millisecond borrow the next millisecond, never another slot.
        var next = (_last & CounterMask) == CounterMask
            ? (((_last >> (SlotBits + CounterBits)) + 1) << (SlotBits + CounterBits)) | _slotBits
            : _last + 1;
        _last = Math.Max(fresh, _last == 0 ? fresh : next);
        return _last;
    }

    /// <summary>The node's slot: the one it held before, or the next free one.</summary>
    public static async Task<int> ClaimSlotAsync(NpgsqlConnection connection, string node, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            await using (var select = new NpgsqlCommand("SELECT slot FROM archive_id_slots WHERE node_name = $1", connection))
            {
                select.Parameters.Add(new NpgsqlParameter { Value = node });
                if (await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int held)
                {
                    return held;
                }
            }

            // Two nodes claiming at once: one insert wins the slot, the other finds none and tries again.
            await using var claim = new NpgsqlCommand(
                "INSERT INTO archive_id_slots (slot, node_name) SELECT COALESCE(MAX(slot) + 1, 0), $1 FROM archive_id_slots ON CONFLICT DO NOTHING RETURNING slot",
                connection);
            claim.Parameters.Add(new NpgsqlParameter { Value = node });
            if (await claim.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int slot)
            {
                return slot < MaxSlots
                    ? slot
                    : throw new InvalidOperationException($"archive_id_slots holds {MaxSlots} node names already; remove those of nodes that are gone for good");
            }
        }

        throw new InvalidOperationException("could not claim an archive id slot for node " + node);
    }
}

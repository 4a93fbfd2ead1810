namespace Converge.Xmpp.Xml;

/// <summary>
/// Maps UTF-8 bytes to the string they spell without decoding or allocating on a hit, so that
/// names and namespaces seen on every stanza ("message", "jabber:client") are one shared string.
/// Bounded: once full, new entries are not added (callers then allocate as usual).
/// </summary>
internal sealed class Utf8StringTable
{
    private readonly int _maxEntries;
    private int[] _buckets; // index + 1 into _entries; 0 = empty
    private Entry[] _entries;
    private int _count;

    public Utf8StringTable(int maxEntries, int initialCapacity = 16)
    {
        _maxEntries = maxEntries;
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(initialCapacity, 4));
        _buckets = new int[size * 2];
        _entries = new Entry[size];
    }

    public int Count => _count;

    public static int Hash(ReadOnlySpan<byte> utf8)
    {
        var hash = default(HashCode);
        hash.AddBytes(utf8);
        return hash.ToHashCode();
    }

    public string? Find(ReadOnlySpan<byte> utf8, int hash)
    {
        var i = _buckets[hash & (_buckets.Length - 1)];
        while (i != 0)
        {
            ref readonly var entry = ref _entries[i - 1];
            if (entry.Hash == hash && utf8.SequenceEqual(entry.Key))
            {
                return entry.Value;
            }

            i = entry.Next;
        }

        return null;
    }

    /// <summary>Adds an entry unless the table is full. The caller has checked that it is absent.</summary>
    public void Add(ReadOnlySpan<byte> utf8, int hash, string value)
    {
        if (_count == _maxEntries)
        {
            return;
        }

        if (_count == _entries.Length)
        {
            Resize();
        }

        ref var bucket = ref _buckets[hash & (_buckets.Length - 1)];
        _entries[_count] = new Entry(utf8.ToArray(), value, hash, bucket);
        bucket = ++_count;
    }

    private void Resize()
    {
        var entries = new Entry[_entries.Length * 2];
        var buckets = new int[entries.Length * 2];
        for (var i = 0; i < _count; i++)
        {
            var e = _entries[i];
            ref var bucket = ref buckets[e.Hash & (buckets.Length - 1)];
            entries[i] = e with { Next = bucket };
            bucket = i + 1;
        }

        _entries = entries;
        _buckets = buckets;
    }

    private readonly record struct Entry(byte[] Key, string Value, int Hash, int Next);
}

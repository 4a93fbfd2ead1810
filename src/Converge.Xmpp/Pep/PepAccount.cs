namespace Converge.Xmpp.Pep;

/// <summary>
/// The PEP service of one account, loaded from storage on first use. Changes are serialized by
/// <see cref="Gate"/> so that the stored and in-memory nodes never disagree; reads of a snapshot
/// are taken under it too (lists are copied out).
/// </summary>
internal sealed class PepAccount
{
    private long _lastPublished;

    public SemaphoreSlim Gate { get; } = new(1, 1);

    public Dictionary<string, PepNode> Nodes { get; } = new(StringComparer.Ordinal);

    /// <summary>An increasing publication number (clock ticks, never repeating), so items sort by age across restarts.</summary>
    public long NextPublished()
    {
        var now = DateTime.UtcNow.Ticks;
        _lastPublished = Math.Max(now, _lastPublished + 1);
        return _lastPublished;
    }

    public void Observe(long published) => _lastPublished = Math.Max(_lastPublished, published);
}

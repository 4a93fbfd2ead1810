namespace Converge.Xmpp.Federation;

/// <summary>Totals of one peer domain's links since start, updated lock-free by the links.</summary>
internal sealed class PeerCounters
{
    private long _stanzasIn;
    private long _stanzasOut;
    private long _bounced;
    private long _linksRefused;
    private long _lastActivityTicks;

    public long StanzasIn => Volatile.Read(ref _stanzasIn);

    public long StanzasOut => Volatile.Read(ref _stanzasOut);

    public long Bounced => Volatile.Read(ref _bounced);

    public long LinksRefused => Volatile.Read(ref _linksRefused);

    public DateTimeOffset? LastActivity
    {
        get
        {
            var ticks = Volatile.Read(ref _lastActivityTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    public void StanzaIn()
    {
        Interlocked.Increment(ref _stanzasIn);
        Touch();
    }

    public void StanzaOut()
    {
        Interlocked.Increment(ref _stanzasOut);
        Touch();
    }

    public void StanzaBounced() => Interlocked.Increment(ref _bounced);

    public void LinkRefused() => Interlocked.Increment(ref _linksRefused);

    private void Touch() => Volatile.Write(ref _lastActivityTicks, DateTimeOffset.UtcNow.UtcTicks);
}

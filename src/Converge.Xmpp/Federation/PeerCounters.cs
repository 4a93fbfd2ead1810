namespace Converge.Xmpp.Federation;

/// <summary>Totals of one peer domain's links since start, updated lock-free by the links.</summary>
internal sealed class PeerCounters
{
    private long _stanzasIn;
    private long _stanzasOut;
    private long _bounced;
    private long _linksRefused;
    private long _foreignSendersDropped;
    private long _unsolicitedRepliesIn;
    private long _unsolicitedRepliesOut;
    private long _lastActivityTicks;

    public long StanzasIn => Volatile.Read(ref _stanzasIn);

    public long StanzasOut => Volatile.Read(ref _stanzasOut);

    public long Bounced => Volatile.Read(ref _bounced);

    public long LinksRefused => Volatile.Read(ref _linksRefused);

    /// <summary>Stanzas for the peer dropped because their sender is not in a domain we serve (no transit).</summary>
    public long ForeignSendersDropped => Volatile.Read(ref _foreignSendersDropped);

    /// <summary>Errors and IQ results from the peer that answered no request we sent it, dropped.</summary>
    public long UnsolicitedRepliesIn => Volatile.Read(ref _unsolicitedRepliesIn);

    /// <summary>Errors and IQ results for the peer that answered no request it sent us, dropped.</summary>
    public long UnsolicitedRepliesOut => Volatile.Read(ref _unsolicitedRepliesOut);

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

    public void ForeignSenderDropped() => Interlocked.Increment(ref _foreignSendersDropped);

    public void UnsolicitedReplyIn() => Interlocked.Increment(ref _unsolicitedRepliesIn);

    public void UnsolicitedReplyOut() => Interlocked.Increment(ref _unsolicitedRepliesOut);

    private void Touch() => Volatile.Write(ref _lastActivityTicks, DateTimeOffset.UtcNow.UtcTicks);
}

namespace Converge.Xmpp.Federation;

/// <summary>
/// A token bucket for what one peer sends over one link: <c>rate</c> stanzas per second with a
/// burst of five seconds' worth (so a user's login, with its presence probes, passes). Used only
/// by the link's read loop, hence not thread-safe.
/// </summary>
internal sealed class StanzaRateLimit(int stanzasPerSecond)
{
    private const double BurstSeconds = 5;
    private readonly double _capacity = Math.Max(stanzasPerSecond * BurstSeconds, 10);
    private double _tokens = Math.Max(stanzasPerSecond * BurstSeconds, 10);
    private long _last = Environment.TickCount64;

    /// <summary>Takes one token; false when the peer has used up its burst.</summary>
    public bool TryTake()
    {
        var now = Environment.TickCount64;
        _tokens = Math.Min(_capacity, _tokens + ((now - _last) / 1000.0 * stanzasPerSecond));
        _last = now;
        if (_tokens < 1)
        {
            return false;
        }

        _tokens--;
        return true;
    }
}

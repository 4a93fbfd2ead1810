using System.Collections.Concurrent;
using Converge.Core.Federation;

namespace Converge.Xmpp.Routing.Policy;

/// <summary>
/// Per peer, how many of its users' messages the gateways took since start, and a token bucket of
/// the agreement's <c>InterworkingPerMinute</c> (a minute's worth of burst). Shared by every link's
/// stanzas, so the bucket is guarded by a small lock of its own; only peers granted Interworking use it.
/// </summary>
internal sealed class PeerInterworkingLimits
{
    private readonly ConcurrentDictionary<string, Bucket> _peers = new(StringComparer.Ordinal);

    /// <summary>Takes one message of the peer's rate (none with 0: no limit) and counts it; false when over the rate.</summary>
    public bool TryTake(InterconnectionAgreement agreement)
    {
        var bucket = _peers.GetOrAdd(agreement.PeerDomain, static _ => new Bucket());
        if (agreement.InterworkingPerMinute > 0 && !bucket.TryTake(agreement.InterworkingPerMinute))
        {
            return false;
        }

        Interlocked.Increment(ref bucket.Taken);
        return true;
    }

    public long Taken(string peerDomain) => _peers.TryGetValue(peerDomain, out var b) ? Volatile.Read(ref b.Taken) : 0;

    private sealed class Bucket
    {
        private readonly Lock _gate = new();
        private double _tokens = double.NaN;
        private long _last = Environment.TickCount64;
        public long Taken;

        public bool TryTake(int perMinute)
        {
            lock (_gate)
            {
                var now = Environment.TickCount64;
                _tokens = double.IsNaN(_tokens) ? perMinute : Math.Min(perMinute, _tokens + ((now - _last) / 60_000.0 * perMinute));
                _last = now;
                if (_tokens < 1)
                {
                    return false;
                }

                _tokens--;
                return true;
            }
        }
    }
}

using System.Collections.Concurrent;

namespace Converge.Xmpp.Routing.Policy;

/// <summary>
/// One token bucket per sender: <c>perMinute</c> tokens refilled evenly over a minute, a burst of as
/// many. Thread-safe; bounded: past 100,000 senders, those whose bucket is full again are forgotten.
/// </summary>
internal sealed class SenderRateBuckets(Func<long>? clock = null)
{
    private const int MaxSenders = 100_000;
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Func<long> _clock = clock ?? (() => Environment.TickCount64);

    /// <summary>Takes one token from <paramref name="sender"/>'s bucket; false when it is empty.</summary>
    public bool TryTake(string sender, int perMinute)
    {
        if (perMinute <= 0)
        {
            return true;
        }

        var now = _clock();
        if (_buckets.Count > MaxSenders)
        {
            Prune(now);
        }

        var bucket = _buckets.GetOrAdd(sender, static (_, start) => new Bucket(start.PerMinute, start.Now), (PerMinute: perMinute, Now: now));
        lock (bucket)
        {
            bucket.Refill(perMinute, now);
            if (bucket.Tokens < 1)
            {
                return false;
            }

            bucket.Tokens--;
            return true;
        }
    }

    private void Prune(long now)
    {
        foreach (var (key, bucket) in _buckets)
        {
            lock (bucket)
            {
                if (now - bucket.Last > 60_000)
                {
                    _buckets.TryRemove(key, out _);
                }
            }
        }
    }

    private sealed class Bucket(double tokens, long last)
    {
        public double Tokens = tokens;
        public long Last = last;

        public void Refill(int perMinute, long now)
        {
            Tokens = Math.Min(perMinute, Tokens + ((now - Last) * perMinute / 60_000.0));
            Last = now;
        }
    }
}

using System.Collections.Concurrent;
using System.Net;

namespace Converge.Xmpp.Server;

/// <summary>
/// Slows down password guessing: after a few failures from one address, or for one account, within
/// a minute, each further failure is answered only after a delay that doubles up to 30 seconds.
/// The delay is applied before the failure is sent, so a client cannot race ahead of it.
/// </summary>
internal sealed class AuthThrottle(int failuresBeforeDelay)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, Failures> _failures = new(StringComparer.Ordinal);

    /// <summary>Records a failure and returns how long to wait before answering it.</summary>
    public TimeSpan Fail(IPAddress? address, string? username)
    {
        var n = 0;
        if (address is not null)
        {
            n = Math.Max(n, Record("ip:" + address));
        }

        if (!string.IsNullOrEmpty(username))
        {
            n = Math.Max(n, Record("user:" + username));
        }

        if (_failures.Count > 100_000)
        {
            Prune();
        }

        var excess = n - failuresBeforeDelay;
        if (excess <= 0)
        {
            return TimeSpan.Zero;
        }

        var delay = TimeSpan.FromMilliseconds(500 * Math.Pow(2, Math.Min(excess - 1, 10)));
        return delay > MaxDelay ? MaxDelay : delay;
    }

    private int Record(string key)
    {
        var now = Environment.TickCount64;
        var entry = _failures.AddOrUpdate(
            key,
            _ => new Failures(1, now),
            (_, old) => now - old.Since > Window.TotalMilliseconds ? new Failures(1, now) : old with { Count = old.Count + 1 });
        return entry.Count;
    }

    private void Prune()
    {
        var now = Environment.TickCount64;
        foreach (var (key, value) in _failures)
        {
            if (now - value.Since > Window.TotalMilliseconds)
            {
                _failures.TryRemove(key, out _);
            }
        }
    }

    private sealed record Failures(int Count, long Since);
}

using System.Net;

namespace Converge.Xmpp.Server;

/// <summary>
/// Slows down password guessing. Failures are counted per address (IPv6: per /64) and per account
/// (the normalised bare JID, so <c>BOB</c> and <c>bob</c> are one account); after a few, every
/// further attempt on that address or account is given a turn: attempts are spaced at least a delay
/// apart (doubling with each failure, up to 30 seconds), and a turn is taken <em>before</em> the
/// attempt is evaluated - a right password waits as long as a wrong one, and fifty connections
/// guessing in parallel get their turns one after the other, no faster than one connection would.
/// An attempt whose turn is more than <see cref="MaxWait"/> away is refused without being evaluated.
/// </summary>
internal sealed class AuthThrottle
{
    /// <summary>Failures are forgotten after this long without another.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>The longest an attempt waits for its turn; one whose turn is further away is refused.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(2);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly int _failuresBeforeDelay;
    private readonly Func<long> _clock;
    private long _delayed;
    private long _refused;

    /// <param name="clock">Milliseconds, monotonic (tests pass their own).</param>
    public AuthThrottle(int failuresBeforeDelay, Func<long>? clock = null)
    {
        _failuresBeforeDelay = failuresBeforeDelay;
        _clock = clock ?? (() => Environment.TickCount64);
    }

    /// <summary>Attempts that had to wait for their turn since start.</summary>
    public long Delayed => Interlocked.Read(ref _delayed);

    /// <summary>Attempts refused unevaluated because their turn was too far away.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>
    /// Takes the next turn for an attempt from <paramref name="address"/> on <paramref name="account"/>
    /// (either may be null): how long to wait before evaluating it, or null when it is refused.
    /// </summary>
    public TimeSpan? Reserve(IPAddress? address, string? account)
    {
        var now = _clock();
        lock (_gate)
        {
            var keys = Keys(address, account);
            var start = now;
            var throttled = false;
            foreach (var key in keys)
            {
                if (Current(key, now) is { } entry && DelayFor(entry.Failures) is { } delay)
                {
                    throttled = true;
                    start = Math.Max(start, Math.Max(now, entry.NextTurn) + (long)delay.TotalMilliseconds);
                }
            }

            if (!throttled)
            {
                return TimeSpan.Zero;
            }

            if (start - now > MaxWait.TotalMilliseconds)
            {
                Interlocked.Increment(ref _refused);
                return null;
            }

            foreach (var key in keys)
            {
                if (Current(key, now) is { } entry && DelayFor(entry.Failures) is not null)
                {
                    _entries[key] = entry with { NextTurn = start };
                }
            }

            Interlocked.Increment(ref _delayed);
            return TimeSpan.FromMilliseconds(start - now);
        }
    }

    /// <summary>Counts a failed attempt against the address and the account.</summary>
    public void Fail(IPAddress? address, string? account)
    {
        var now = _clock();
        lock (_gate)
        {
            foreach (var key in Keys(address, account))
            {
                var entry = Current(key, now) ?? new Entry(0, now, now);
                _entries[key] = entry with { Failures = entry.Failures + 1, LastFailure = now };
            }

            if (_entries.Count > 100_000)
            {
                Prune(now);
            }
        }
    }

    /// <summary>The account's owner got in: its failures are forgotten (the address's are not - one's own account must not launder guesses at others).</summary>
    public void Succeeded(string account)
    {
        lock (_gate)
        {
            _entries.Remove(AccountKey(account));
        }
    }

    /// <summary>Failures counted now against an account (normalised bare JID).</summary>
    public int FailuresOf(string account)
    {
        lock (_gate)
        {
            return Current(AccountKey(account), _clock())?.Failures ?? 0;
        }
    }

    /// <summary>Failures counted now against an address.</summary>
    public int FailuresFrom(IPAddress address)
    {
        lock (_gate)
        {
            return Current(AddressKey(address), _clock())?.Failures ?? 0;
        }
    }

    private TimeSpan? DelayFor(int failures)
    {
        var excess = failures - _failuresBeforeDelay;
        if (excess <= 0)
        {
            return null;
        }

        var delay = TimeSpan.FromMilliseconds(500 * Math.Pow(2, Math.Min(excess - 1, 10)));
        return delay > MaxDelay ? MaxDelay : delay;
    }

    private Entry? Current(string key, long now) =>
        _entries.TryGetValue(key, out var entry) && (now - entry.LastFailure <= Quiet.TotalMilliseconds || entry.NextTurn > now) ? entry : null;

    private static List<string> Keys(IPAddress? address, string? account)
    {
        var keys = new List<string>(2);
        if (address is not null)
        {
            keys.Add(AddressKey(address));
        }

        if (!string.IsNullOrEmpty(account))
        {
            keys.Add(AccountKey(account));
        }

        return keys;
    }

    private static string AddressKey(IPAddress address) => "ip:" + Transport.AddressConnectionLimit.KeyOf(address);

    private static string AccountKey(string account) => "user:" + account;

    private void Prune(long now)
    {
        foreach (var (key, entry) in _entries.ToList())
        {
            if (now - entry.LastFailure > Quiet.TotalMilliseconds && entry.NextTurn <= now)
            {
                _entries.Remove(key);
            }
        }
    }

    private sealed record Entry(int Failures, long LastFailure, long NextTurn);
}

using System.Diagnostics;
using System.Numerics;

namespace Converge.Bench.Metrics;

/// <summary>
/// Latencies in microseconds, log-linear buckets (exact below 128 µs, then 64 buckets per power of
/// two, under 1.6% error): constant memory however many samples. One writer per instance (a
/// connection's read loop); instances are merged after the measured interval.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int Linear = 128;
    private const int SubBits = 6;
    private const int Bucket = 1 << SubBits;
    private const int Buckets = Linear + ((63 - 7) * Bucket);

    private readonly long[] _counts = new long[Buckets];

    public long Count { get; private set; }

    public long MaxMicroseconds { get; private set; }

    public void RecordTicks(long stopwatchTicks) => Record(stopwatchTicks <= 0 ? 0 : stopwatchTicks * 1_000_000 / Stopwatch.Frequency);

    public void Record(long microseconds)
    {
        if (microseconds < 0)
        {
            microseconds = 0;
        }

        _counts[Index(microseconds)]++;
        Count++;
        if (microseconds > MaxMicroseconds)
        {
            MaxMicroseconds = microseconds;
        }
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < Buckets; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        MaxMicroseconds = Math.Max(MaxMicroseconds, other.MaxMicroseconds);
    }

    /// <summary>The latency at quantile <paramref name="q"/> (0..1) in milliseconds, NaN without samples.</summary>
    public double QuantileMilliseconds(double q)
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        var rank = (long)Math.Ceiling(q * Count);
        rank = Math.Clamp(rank, 1, Count);
        long seen = 0;
        for (var i = 0; i < Buckets; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Min(UpperBound(i), MaxMicroseconds) / 1000.0;
            }
        }

        return MaxMicroseconds / 1000.0;
    }

    private static int Index(long value)
    {
        if (value < Linear)
        {
            return (int)value;
        }

        var log = 63 - BitOperations.LeadingZeroCount((ulong)value); // >= 7
        var sub = (int)(value >> (log - SubBits)) & (Bucket - 1);
        return Math.Min(Linear + ((log - 7) * Bucket) + sub, Buckets - 1);
    }

    private static long UpperBound(int index)
    {
        if (index < Linear)
        {
            return index;
        }

        var log = ((index - Linear) / Bucket) + 7;
        var sub = (index - Linear) % Bucket;
        var width = 1L << (log - SubBits);
        return (1L << log) + ((sub + 1) * width) - 1;
    }
}

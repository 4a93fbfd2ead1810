using Converge.Interworking.Sms.Text;

namespace Converge.Interworking.Sms.Concatenation;

/// <summary>
/// Puts concatenated messages back together from their parts (UDH 8/16-bit or SAR), in any order,
/// duplicates ignored. A complete message stays held until <see cref="Release"/> says the handler
/// took it, so a redelivered last part after a failed hand-over completes it again.
/// Decision on missing parts: after <see cref="SmppLimits.ReassemblyTimeout"/> the parts that did
/// arrive are delivered, each missing part shown as <see cref="MissingPartMarker"/> — a person
/// would rather read most of a message than nothing, and the non-final parts were already
/// acknowledged to the SMSC, so dropping them would lose what was accepted. Memory is bounded by
/// <see cref="SmppLimits.MaxPendingReassemblies"/>: past it the oldest is delivered the same way.
/// Thread-safe: parts of one message may arrive on different binds.
/// </summary>
internal sealed class SmsReassembler(SmppLimits limits, SmsTextDecoder decoder, TimeProvider time)
{
    public const string MissingPartMarker = "[…]";

    private readonly Lock _lock = new();
    private readonly Dictionary<ReassemblyKey, Pending> _pending = [];
    private readonly List<ReassembledSms> _expired = [];
    private readonly Dictionary<ReassemblyKey, DateTimeOffset> _released = [];
    private readonly Queue<ReassemblyKey> _releasedOrder = new();

    public int PendingCount
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Adds a part; a part without (valid) concatenation info is a complete message by itself.</summary>
    public ReassemblyResult Add(SmsPart part)
    {
        var now = time.GetUtcNow();
        if (part.Concatenation is not { IsValid: true, Total: > 1 } info)
        {
            var single = new ReassembledSms(default, part.Source, part.Destination, decoder.Decode(part.Payload.Span, part.DataCoding), now, 0);
            return new ReassemblyResult(ReassemblyOutcome.Complete, single);
        }

        var key = new ReassemblyKey(part.Source, part.Destination, info.Reference, info.Total, info.Source == ConcatenationSource.Udh16);
        lock (_lock)
        {
            ForgetOldReleases(now);
            if (_released.ContainsKey(key))
            {
                return new ReassemblyResult(ReassemblyOutcome.Duplicate, null);
            }

            if (!_pending.TryGetValue(key, out var pending))
            {
                if (_pending.Count >= limits.MaxPendingReassemblies)
                {
                    EvictOldest();
                }

                pending = new Pending(part.Source, part.Destination, info.Total, now);
                _pending.Add(key, pending);
            }

            var index = info.Sequence - 1;
            if (pending.Parts[index] is null)
            {
                pending.Parts[index] = part;
                pending.Received++;
            }
            else if (pending.Received < pending.Parts.Length)
            {
                return new ReassemblyResult(ReassemblyOutcome.Duplicate, null);
            }

            return pending.Received == pending.Parts.Length
                ? new ReassemblyResult(ReassemblyOutcome.Complete, Assemble(key, pending))
                : new ReassemblyResult(ReassemblyOutcome.Pending, null);
        }
    }

    /// <summary>The handler took the message: forget its parts, and treat late copies of them as duplicates.</summary>
    public void Release(ReassemblyKey key)
    {
        if (key == default)
        {
            return;
        }

        lock (_lock)
        {
            _pending.Remove(key);
            if (_released.TryAdd(key, time.GetUtcNow()))
            {
                _releasedOrder.Enqueue(key);
            }
        }
    }

    /// <summary>Messages whose parts timed out or were evicted, with markers where parts are missing; each is returned once.</summary>
    public IReadOnlyList<ReassembledSms> TakeExpired()
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            foreach (var (key, pending) in _pending)
            {
                if (now - pending.FirstReceived >= limits.ReassemblyTimeout)
                {
                    _expired.Add(Assemble(key, pending));
                }
            }

            foreach (var message in _expired)
            {
                _pending.Remove(message.Key);
            }

            if (_expired.Count == 0)
            {
                return [];
            }

            var taken = _expired.ToArray();
            _expired.Clear();
            return taken;
        }
    }

    private void EvictOldest()
    {
        var oldest = _pending.MinBy(p => p.Value.FirstReceived);
        _expired.Add(Assemble(oldest.Key, oldest.Value));
        _pending.Remove(oldest.Key);
    }

    /// <summary>Released keys are remembered for one timeout and at most a few times the pending bound.</summary>
    private void ForgetOldReleases(DateTimeOffset now)
    {
        while (_releasedOrder.TryPeek(out var key)
            && (_releasedOrder.Count > limits.MaxPendingReassemblies * 4 || now - _released[key] >= limits.ReassemblyTimeout))
        {
            _releasedOrder.Dequeue();
            _released.Remove(key);
        }
    }

    private ReassembledSms Assemble(ReassemblyKey key, Pending pending)
    {
        var text = new System.Text.StringBuilder();
        var missing = 0;
        // Parts sharing one data_coding are decoded as one octet string, which also mends a sender
        // that split an ESC sequence or a surrogate pair across parts.
        var present = pending.Parts.Where(p => p is not null).Select(p => p!).ToArray();
        var oneCoding = present.All(p => p.DataCoding == present[0].DataCoding);
        var run = new List<byte>();
        foreach (var part in pending.Parts)
        {
            if (part is null)
            {
                Flush();
                text.Append(MissingPartMarker);
                missing++;
            }
            else if (oneCoding)
            {
                run.AddRange(part.Payload.Span);
            }
            else
            {
                text.Append(decoder.Decode(part.Payload.Span, part.DataCoding));
            }
        }

        Flush();
        return new ReassembledSms(key, pending.Source, pending.Destination, text.ToString(), pending.FirstReceived, missing);

        void Flush()
        {
            if (run.Count > 0)
            {
                text.Append(decoder.Decode(run.ToArray(), present[0].DataCoding));
                run.Clear();
            }
        }
    }

    private sealed class Pending(string source, string destination, int total, DateTimeOffset firstReceived)
    {
        public string Source { get; } = source;

        public string Destination { get; } = destination;

        public DateTimeOffset FirstReceived { get; } = firstReceived;

        public SmsPart?[] Parts { get; } = new SmsPart?[total];

        public int Received { get; set; }
    }
}

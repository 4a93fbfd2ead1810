using System.Collections.Concurrent;
using Converge.Interworking.Sms.Pdus;

namespace Converge.Interworking.Sms.Esme;

/// <summary>
/// Requests awaiting their response, by sequence number. Sequence numbers run 1..0x7FFFFFFF and
/// wrap (SMPP 3.4 §5.1.4); one still in flight is never handed out twice.
/// </summary>
internal sealed class SmppPendingRequests
{
    private const uint MaxSequence = 0x7FFFFFFF;

    private readonly ConcurrentDictionary<uint, TaskCompletionSource<SmppPdu>> _pending = new();
    private int _last;
    private volatile Exception? _closedWith;

    public int Count => _pending.Count;

    public (uint Sequence, Task<SmppPdu> Response) Register()
    {
        var response = new TaskCompletionSource<SmppPdu>(TaskCreationOptions.RunContinuationsAsynchronously);
        uint sequence;
        do
        {
            sequence = ((uint)Interlocked.Increment(ref _last) - 1) % MaxSequence + 1;
        }
        while (!_pending.TryAdd(sequence, response));

        // Registered after the session failed the others: fail this one too rather than wait for a timeout.
        if (_closedWith is { } closed && _pending.TryRemove(sequence, out _))
        {
            response.TrySetException(closed);
        }

        return (sequence, response.Task);
    }

    public bool TryComplete(uint sequence, SmppPdu response) =>
        _pending.TryRemove(sequence, out var waiter) && waiter.TrySetResult(response);

    public void Forget(uint sequence) => _pending.TryRemove(sequence, out _);

    public void FailAll(Exception reason)
    {
        _closedWith = reason;
        foreach (var sequence in _pending.Keys)
        {
            if (_pending.TryRemove(sequence, out var waiter))
            {
                waiter.TrySetException(reason);
            }
        }
    }
}

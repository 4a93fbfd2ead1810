namespace Converge.Xmpp.Client;

/// <summary>
/// The client's stanzas as far as they are handled <em>and stored</em>: the 'h' of XEP-0198 on the way
/// in. Routing delivers a message at once and queues its archive rows for the next grouped commit; the
/// read loop goes on with the next stanza meanwhile. A stanza counts for the client's acknowledgement
/// only once every write it and the stanzas before it caused is committed, so an acknowledged message is
/// never lost (docs/durability.md). How many writes a session may have waiting is bounded, and so is the
/// number of all sessions together (<see cref="PendingWriteBudget"/>): past either the read loop waits for
/// its oldest, which is the back-pressure a flooding client, or a store falling behind, makes felt.
/// Owned by the session's read loop; only <see cref="Answer{TState}"/> runs elsewhere (under its own lock: it is off the hot path).
/// </summary>
internal sealed class InboundDurability(int maxPending, PendingWriteBudget? budget = null)
{
    private readonly Queue<(Task Write, uint Before)> _pending = new();
    private uint _handled;
    private uint? _failedAt;
    private readonly Lock _answerOrder = new();
    private long _answered = -1;

    /// <summary>A write failed: the stanzas from <see cref="StoredCount"/> on must be sent again, so the stream ends.</summary>
    public bool Failed => _failedAt is not null;

    /// <summary>Counts one handled stanza and the write it waits for (null: none); waits when too many are outstanding.</summary>
    public ValueTask HandledAsync(Task? write)
    {
        var before = _handled++;
        if (write is not null && !write.IsCompletedSuccessfully)
        {
            _pending.Enqueue((write, before));
            budget?.Track(write);
        }

        DropStored();
        return _pending.Count > maxPending || (_pending.Count > 0 && budget is { Exceeded: true }) ? WaitForOldestAsync() : ValueTask.CompletedTask;
    }

    /// <summary>XEP-0198 counts from &lt;enable/&gt;: what came before is no longer numbered.</summary>
    public void Restart()
    {
        _handled = 0;
        lock (_answerOrder)
        {
            _answered = -1;
        }
        var earlier = _pending.Count;
        for (var i = 0; i < earlier; i++)
        {
            var (write, _) = _pending.Dequeue();
            _pending.Enqueue((write, 0));
        }
    }

    /// <summary>
    /// The 'h' to answer once everything handled so far is stored: at once when nothing is waiting,
    /// otherwise when the writes queued until now have committed; the count before the first failed one.
    /// </summary>
    public ValueTask<uint> StoredCountAsync()
    {
        DropStored();
        if (_failedAt is { } failed)
        {
            return new(failed);
        }

        return _pending.Count == 0 ? new(_handled) : WaitAsync([.. _pending], _handled);
    }

    /// <summary>The count stored for sure right now (for a &lt;failed h/&gt;), without waiting.</summary>
    public uint StoredCount
    {
        get
        {
            DropStored();
            return _failedAt ?? (_pending.TryPeek(out var oldest) ? oldest.Before : _handled);
        }
    }

    /// <summary>After a resumption: the client sends again from the stored count, and numbering goes on from there.</summary>
    public void ResumeFrom(uint stored)
    {
        _pending.Clear();
        _failedAt = null;
        _handled = stored;
        lock (_answerOrder)
        {
            _answered = -1;
        }
    }

    /// <summary>
    /// Sends an &lt;a h/&gt; through <paramref name="send"/>. Answers computed off the read loop may finish
    /// out of order, and a client must never see its count go back (slixmpp, for one, then takes the
    /// difference modulo 2^32 as "everything acknowledged"): the value is raised to the highest one sent,
    /// and choosing it and queueing it happen together.
    /// </summary>
    public void Answer<TState>(uint h, Action<TState, uint> send, TState state)
    {
        lock (_answerOrder)
        {
            if (_answered > h)
            {
                h = (uint)_answered;
            }

            _answered = h;
            send(state, h);
        }
    }

    private void DropStored()
    {
        while (_pending.TryPeek(out var oldest) && oldest.Write.IsCompleted)
        {
            _pending.Dequeue();
            if (!oldest.Write.IsCompletedSuccessfully)
            {
                _failedAt ??= oldest.Before;
            }
        }
    }

    private async ValueTask WaitForOldestAsync()
    {
        try
        {
            await _pending.Peek().Write.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Seen by DropStored, which records where storing failed.
        }

        DropStored();
    }

    private static async ValueTask<uint> WaitAsync((Task Write, uint Before)[] waiting, uint handled)
    {
        foreach (var (write, before) in waiting)
        {
            try
            {
                await write.ConfigureAwait(false);
            }
            catch (Exception)
            {
                return before;
            }
        }

        return handled;
    }
}

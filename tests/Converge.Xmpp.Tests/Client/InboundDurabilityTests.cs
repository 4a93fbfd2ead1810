using Converge.Xmpp.Client;

namespace Converge.Xmpp.Tests.Client;

/// <summary>
/// The XEP-0198 'h' the server answers counts a stanza only once every write it and the stanzas before
/// it caused is committed; a failed write stops the count where it failed; reading waits when a
/// session has too many writes outstanding.
/// </summary>
public sealed class InboundDurabilityTests
{
    [Fact]
    public async Task Stanzas_without_writes_count_at_once()
    {
        var inbound = new InboundDurability(maxPending: 8);
        await inbound.HandledAsync(null);
        await inbound.HandledAsync(Task.CompletedTask);

        var h = inbound.StoredCountAsync();

        Assert.True(h.IsCompletedSuccessfully);
        Assert.Equal(2u, await h);
    }

    [Fact]
    public async Task The_answer_waits_for_the_commit_and_then_counts_everything_handled_before_it()
    {
        var inbound = new InboundDurability(maxPending: 8);
        var commit = new TaskCompletionSource();
        await inbound.HandledAsync(commit.Task);
        await inbound.HandledAsync(null);

        var h = inbound.StoredCountAsync();
        Assert.False(h.IsCompleted);
        Assert.Equal(0u, inbound.StoredCount);

        await inbound.HandledAsync(null); // after the <r/>: not part of its answer
        commit.SetResult();

        Assert.Equal(2u, await h);
        Assert.Equal(3u, inbound.StoredCount);
    }

    [Fact]
    public async Task A_failed_write_stops_the_count_before_its_stanza_even_when_later_writes_commit()
    {
        var inbound = new InboundDurability(maxPending: 8);
        await inbound.HandledAsync(Task.CompletedTask);
        var failing = new TaskCompletionSource();
        await inbound.HandledAsync(failing.Task);
        await inbound.HandledAsync(Task.CompletedTask);
        var answer = inbound.StoredCountAsync();

        failing.SetException(new IOException("disk full"));

        Assert.Equal(1u, await answer);
        Assert.Equal(1u, inbound.StoredCount);
        Assert.True(inbound.Failed);
    }

    [Fact]
    public async Task Reading_waits_for_the_oldest_write_when_too_many_are_outstanding()
    {
        var inbound = new InboundDurability(maxPending: 2);
        var oldest = new TaskCompletionSource();
        await inbound.HandledAsync(oldest.Task);
        await inbound.HandledAsync(new TaskCompletionSource().Task);

        var third = inbound.HandledAsync(new TaskCompletionSource().Task);
        Assert.False(third.IsCompleted);

        oldest.SetResult();
        await third.AsTask().WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Answers_never_go_back_when_they_finish_out_of_order()
    {
        var inbound = new InboundDurability(maxPending: 8);
        var sent = new List<uint>();

        inbound.Answer(5, (list, h) => list.Add(h), sent);
        inbound.Answer(3, (list, h) => list.Add(h), sent);
        inbound.Answer(7, (list, h) => list.Add(h), sent);

        Assert.Equal([5u, 5u, 7u], sent);
    }

    [Fact]
    public async Task Counting_restarts_at_enable_and_resumes_from_the_stored_count()
    {
        var inbound = new InboundDurability(maxPending: 8);
        await inbound.HandledAsync(null);
        inbound.Restart();
        await inbound.HandledAsync(null);
        Assert.Equal(1u, await inbound.StoredCountAsync());

        inbound.ResumeFrom(1);
        await inbound.HandledAsync(null);
        Assert.Equal(2u, await inbound.StoredCountAsync());
    }

    [Fact]
    public async Task Every_session_with_writes_outstanding_waits_when_all_sessions_together_are_over_the_budget()
    {
        var budget = new PendingWriteBudget(limit: 2);
        var busy = new InboundDurability(maxPending: 100, budget);
        var other = new InboundDurability(maxPending: 100, budget);
        var first = new TaskCompletionSource();
        await busy.HandledAsync(first.Task);
        await busy.HandledAsync(new TaskCompletionSource().Task);
        Assert.Equal(2, budget.Pending);

        var over = other.HandledAsync(new TaskCompletionSource().Task); // the server's third outstanding write
        var busyReads = busy.HandledAsync(null);
        Assert.False(over.IsCompleted); // each waits for its own oldest write
        Assert.False(busyReads.IsCompleted);

        first.SetResult();
        await busyReads.AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, budget.Pending);
        Assert.False(over.IsCompleted);
    }
}

using static Converge.Interop.Sms.SmsWorld;

namespace Converge.Interop.Sms;

/// <summary>
/// The ordered outbox against a misbehaving SMSC: throttled submissions are retried with backoff
/// and a bind dropped mid-stream is rebuilt, and still every message arrives once, in order.
/// </summary>
[Collection(SmsNetworkCollection.Name)]
public sealed class SmscFaultTests(SmsWorld world)
{
    private const int Count = 30;

    [Fact]
    public async Task Thirty_messages_arrive_once_each_in_order_through_throttling_and_a_bind_dropped_mid_stream()
    {
        const string peter = "+4915180000001";
        var throttledBefore = await world.Network.CountEventsAsync("throttled", SystemId);
        var dropsBefore = await world.Network.CountEventsAsync("drop", SystemId);
        await world.Network.ThrottleAsync(SystemId, 2);
        await world.Network.DropAfterSubmitsAsync(SystemId, 12);
        await using var mary = await world.ClientAsync(Mary);
        var expected = Enumerable.Range(1, Count).Select(i => $"Message {i:00} of {Count}").ToList();

        foreach (var text in expected)
        {
            await mary.SendAsync(JidOf(peter), text);
        }

        await mary.SendAsync(JidOf(peter), "Last");
        var inbox = await world.Network.InboxUntilAsync(peter, "Last", TimeSpan.FromSeconds(60), world.Context);

        Assert.Equal([.. expected, "Last"], inbox.Select(m => m.Text));
        Assert.Equal(throttledBefore + 2, await world.Network.CountEventsAsync("throttled", SystemId));
        Assert.Equal(dropsBefore + 1, await world.Network.CountEventsAsync("drop", SystemId));
    }

    /// <summary>The baseline for the faults above: with nothing going wrong, a burst that fills the outbox faster than it drains.</summary>
    [Fact]
    public async Task A_burst_of_a_hundred_messages_arrives_once_each_in_order_without_any_fault()
    {
        const string peter = "+4915180000002";
        await using var mary = await world.ClientAsync(Mary);
        var expected = Enumerable.Range(1, 100).Select(i => $"Burst {i:000}").ToList();

        await mary.BurstAsync(JidOf(peter), [.. expected, "Last"]);

        var got = (await world.Network.InboxUntilAsync(peter, "Last", TimeSpan.FromSeconds(60), world.Context, atLeast: expected.Count + 1)).Select(m => m.Text).ToList();
        var repeated = got.Where((text, i) => got.IndexOf(text) != i).ToList();
        Assert.True(repeated.Count == 0, $"submitted more than once: [{string.Join(", ", repeated)}]{world.Context()}");
        Assert.Equal([.. expected, "Last"], got);
    }
}

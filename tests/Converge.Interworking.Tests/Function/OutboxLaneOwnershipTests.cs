using Converge.Core.Storage;
using Converge.Interworking.Function;
using Converge.Interworking.Tests.Function.Support;
using Converge.Interworking.Tests.Sms.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Converge.Interworking.Tests.Function;

/// <summary>
/// Which lanes a cluster node may send (OutboxLaneOwnership), on a clock moved by hand: a lane is
/// sent by the node that holds its lease, a newly taken lane only from a fresh read, a lease is
/// renewed while the lane is busy, and a node that cannot renew stops sending before its lease lapses.
/// </summary>
public sealed class OutboxLaneOwnershipTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(8);
    private readonly ManualTimeProvider _clock = new();
    private readonly InMemoryLaneLeases _leases;

    public OutboxLaneOwnershipTests() => _leases = new InMemoryLaneLeases(_clock);

    private OutboxLaneOwnership Node(string name) =>
        new(_leases, name, OutboxChannel.Sms, Lease, NullLogger.Instance, _clock);

    [Fact]
    public async Task A_newly_taken_lane_is_sent_only_from_the_next_read_and_then_without_another_statement()
    {
        var n1 = Node("n1");

        Assert.Empty(await n1.SendableAsync(["a"], [], default));
        Assert.True(n1.ReadAgain);
        Assert.Equal("n1", _leases.Holder(OutboxChannel.Sms, "a"));

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["a"], await n1.SendableAsync(["a"], [], default));
        Assert.False(n1.ReadAgain);
        Assert.Equal(1, _leases.Statements("n1"));
    }

    [Fact]
    public async Task A_lane_another_node_holds_is_not_sent_and_is_asked_for_again_only_after_a_while()
    {
        var n1 = Node("n1");
        var n2 = Node("n2");
        await n1.SendableAsync(["a"], [], default);

        Assert.Empty(await n2.SendableAsync(["a"], [], default));
        Assert.False(n2.ReadAgain);
        Assert.Empty(await n2.SendableAsync(["a"], [], default));
        Assert.Equal(1, _leases.Statements("n2"));

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(await n2.SendableAsync(["a"], [], default));
        Assert.Equal(2, _leases.Statements("n2"));
    }

    [Fact]
    public async Task A_busy_lane_keeps_its_lease_so_another_node_never_gets_it()
    {
        var n1 = Node("n1");
        var n2 = Node("n2");
        await n1.SendableAsync(["a"], [], default);
        for (var second = 0; second < 60; second++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            // The head is in flight on n1 (it is not due any more as far as n1 reads).
            await n1.SendableAsync([], ["a"], default);
            Assert.Empty(await n2.SendableAsync(["a"], [], default));
        }

        Assert.Equal("n1", _leases.Holder(OutboxChannel.Sms, "a"));
        // Renewed every quarter of the lease, not on every pass.
        Assert.InRange(_leases.Statements("n1"), 60 / 2 / 2, 60 / 2);
    }

    [Fact]
    public async Task A_node_that_cannot_renew_stops_sending_before_its_lease_lapses_and_another_takes_the_lane_after()
    {
        var n1 = Node("n1");
        var n2 = Node("n2");
        await n1.SendableAsync(["a"], [], default);
        _leases.CutOff("n1");

        var stoppedAt = TimeSpan.Zero;
        for (var elapsed = TimeSpan.Zero; elapsed <= Lease * 2; elapsed += TimeSpan.FromMilliseconds(500))
        {
            var n1Sends = (await n1.SendableAsync(["a"], [], default)).Count > 0;
            var n2Sends = (await n2.SendableAsync(["a"], [], default)).Count > 0;
            Assert.False(n1Sends && n2Sends, $"both nodes send lane a after {elapsed}");
            if (!n1Sends && stoppedAt == TimeSpan.Zero)
            {
                stoppedAt = elapsed;
            }

            Assert.True(!n2Sends || elapsed > Lease, $"n2 sent lane a after {elapsed}, before n1's lease of {Lease} lapsed");
            _clock.Advance(TimeSpan.FromMilliseconds(500));
        }

        Assert.InRange(stoppedAt, TimeSpan.FromMilliseconds(500), Lease / 2 + TimeSpan.FromMilliseconds(500));
        Assert.Equal("n2", _leases.Holder(OutboxChannel.Sms, "a"));
    }

    [Fact]
    public async Task A_stopping_node_releases_its_lanes_for_the_others_at_once()
    {
        var n1 = Node("n1");
        var n2 = Node("n2");
        await n1.SendableAsync(["a", "b"], [], default);
        await n1.ReleaseAsync();

        await n2.SendableAsync(["a", "b"], [], default);
        Assert.Equal(["a", "b"], (await n2.SendableAsync(["a", "b"], [], default)).Order(StringComparer.Ordinal));
    }
}

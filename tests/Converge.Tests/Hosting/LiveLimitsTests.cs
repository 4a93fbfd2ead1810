using Converge.Hosting;
using Converge.Xmpp.Server;

namespace Converge.Tests.Hosting;

public sealed class LiveLimitsTests
{
    [Fact]
    public void A_reload_writes_the_changed_live_limits_into_the_running_object_and_names_each_change()
    {
        var live = new ClientLimits { MessagesPerMinute = 0, MaxSessionsPerAccount = 10, IdleTimeout = TimeSpan.FromMinutes(5) };
        var loaded = new ClientLimits { MessagesPerMinute = 30, MaxSessionsPerAccount = 10, IdleTimeout = TimeSpan.FromMinutes(2) };

        var changes = LiveLimits.Apply(live, loaded);

        Assert.Equal(["Limits.Client.MessagesPerMinute 0 -> 30", "Limits.Client.IdleTimeout 00:05:00 -> 00:02:00"], changes);
        Assert.Equal(30, live.MessagesPerMinute);
        Assert.Equal(TimeSpan.FromMinutes(2), live.IdleTimeout);
    }

    [Fact]
    public void Limits_built_into_objects_at_start_are_not_touched_by_a_reload()
    {
        var live = new ClientLimits { AuthFailuresBeforeDelay = 3, MaxUnauthenticatedPerAddress = 20, KeepaliveInterval = TimeSpan.FromSeconds(60) };
        var loaded = new ClientLimits { AuthFailuresBeforeDelay = 9, MaxUnauthenticatedPerAddress = 2, KeepaliveInterval = TimeSpan.FromSeconds(5) };

        var changes = LiveLimits.Apply(live, loaded);

        Assert.Empty(changes);
        Assert.Equal((3, 20, TimeSpan.FromSeconds(60)), (live.AuthFailuresBeforeDelay, live.MaxUnauthenticatedPerAddress, live.KeepaliveInterval));
        Assert.DoesNotContain("Limits.Client.AuthFailuresBeforeDelay", LiveLimits.Names);
    }

    [Fact]
    public void The_same_file_twice_changes_nothing()
    {
        var live = new ClientLimits { MessagesPerMinute = 12 };

        Assert.Empty(LiveLimits.Apply(live, new ClientLimits { MessagesPerMinute = 12 }));
    }
}

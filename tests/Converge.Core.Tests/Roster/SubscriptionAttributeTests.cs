using Converge.Core.Roster;
using static Converge.Core.Roster.SubscriptionState;

namespace Converge.Core.Tests.Roster;

/// <summary>RFC 6121 Appendix A.1: how each state shows in a roster item, and who sees whose presence.</summary>
public sealed class SubscriptionAttributeTests
{
    [Theory]
    [InlineData(None, "none", false, false, false, false)]
    [InlineData(NonePendingOut, "none", true, false, false, false)]
    [InlineData(NonePendingIn, "none", false, true, false, false)]
    [InlineData(NonePendingOutIn, "none", true, true, false, false)]
    [InlineData(To, "to", false, false, true, false)]
    [InlineData(ToPendingIn, "to", false, true, true, false)]
    [InlineData(From, "from", false, false, false, true)]
    [InlineData(FromPendingOut, "from", true, false, false, true)]
    [InlineData(Both, "both", false, false, true, true)]
    public void State_maps_to_roster_attributes_and_presence_directions(
        SubscriptionState state, string subscription, bool ask, bool pendingIn, bool receives, bool sends)
    {
        Assert.Equal(subscription, SubscriptionStateMachine.SubscriptionAttribute(state));
        Assert.Equal(ask, SubscriptionStateMachine.AskAttribute(state));
        Assert.Equal(ask, SubscriptionStateMachine.PendingOut(state));
        Assert.Equal(pendingIn, SubscriptionStateMachine.PendingIn(state));
        Assert.Equal(receives, SubscriptionStateMachine.ReceivesPresenceFromContact(state));
        Assert.Equal(sends, SubscriptionStateMachine.SendsPresenceToContact(state));
    }

    [Fact]
    public void Compose_rebuilds_every_state_from_its_facts()
    {
        foreach (var state in Enum.GetValues<SubscriptionState>())
        {
            var rebuilt = SubscriptionStateMachine.Compose(
                SubscriptionStateMachine.ReceivesPresenceFromContact(state),
                SubscriptionStateMachine.SendsPresenceToContact(state),
                SubscriptionStateMachine.PendingOut(state),
                SubscriptionStateMachine.PendingIn(state));
            Assert.Equal(state, rebuilt);
        }
    }

    [Theory]
    [InlineData(true, false, true, false, To)]
    [InlineData(false, true, false, true, From)]
    [InlineData(true, true, true, true, Both)]
    public void Compose_drops_a_pending_request_for_a_direction_already_subscribed(
        bool to, bool from, bool pendingOut, bool pendingIn, SubscriptionState expected)
    {
        Assert.Equal(expected, SubscriptionStateMachine.Compose(to, from, pendingOut, pendingIn));
    }
}

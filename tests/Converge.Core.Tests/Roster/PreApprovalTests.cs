using Converge.Core.Roster;
using static Converge.Core.Roster.SubscriptionStanza;
using static Converge.Core.Roster.SubscriptionState;

namespace Converge.Core.Tests.Roster;

/// <summary>RFC 6121 §3.4: the user approves a contact's subscription before it is asked for.</summary>
public sealed class PreApprovalTests
{
    [Theory]
    [InlineData(None)]
    [InlineData(NonePendingOut)]
    [InlineData(To)]
    public void Subscribed_without_a_pending_request_is_noted_as_pre_approval_and_not_routed(SubscriptionState current)
    {
        var t = SubscriptionStateMachine.Outbound(current, approved: false, Subscribed);

        Assert.Equal(current, t.NewState);
        Assert.True(t.SetApproval);
        Assert.True(t.StateChanged);
        Assert.False(t.Deliver);
        Assert.False(t.SendPresenceToContact);
        Assert.True(t.ApprovedAfter(approvedBefore: false));
    }

    [Theory]
    [InlineData(None)]
    [InlineData(NonePendingOut)]
    [InlineData(To)]
    public void Repeating_a_pre_approval_changes_nothing(SubscriptionState current)
    {
        var t = SubscriptionStateMachine.Outbound(current, approved: true, Subscribed);

        Assert.Equal(current, t.NewState);
        Assert.False(t.StateChanged);
        Assert.False(t.Deliver);
        Assert.True(t.ApprovedAfter(approvedBefore: true));
    }

    [Theory]
    [InlineData(From)]
    [InlineData(FromPendingOut)]
    [InlineData(Both)]
    public void Subscribed_to_an_existing_subscriber_is_ignored(SubscriptionState current)
    {
        var t = SubscriptionStateMachine.Outbound(current, approved: false, Subscribed);

        Assert.Equal(current, t.NewState);
        Assert.False(t.SetApproval);
        Assert.False(t.StateChanged);
        Assert.False(t.Deliver);
    }

    [Theory]
    [InlineData(None, From)]
    [InlineData(NonePendingOut, FromPendingOut)]
    [InlineData(To, Both)]
    public void Pre_approved_request_is_answered_by_the_server_and_consumes_the_approval(SubscriptionState current, SubscriptionState expected)
    {
        var t = SubscriptionStateMachine.Inbound(current, approved: true, Subscribe);

        Assert.Equal(expected, t.NewState);
        Assert.True(t.AutoReplySubscribed);
        Assert.True(t.ClearApproval);
        Assert.True(t.StateChanged);
        Assert.True(t.SendPresenceToContact);
        Assert.False(t.Deliver);
        Assert.False(t.ApprovedAfter(approvedBefore: true));
    }

    [Theory]
    [InlineData(None)]
    [InlineData(NonePendingOut)]
    [InlineData(To)]
    public void Unsubscribed_withdraws_a_pre_approval_without_routing(SubscriptionState current)
    {
        var t = SubscriptionStateMachine.Outbound(current, approved: true, Unsubscribed);

        Assert.Equal(current, t.NewState);
        Assert.True(t.ClearApproval);
        Assert.True(t.StateChanged);
        Assert.False(t.Deliver);
        Assert.False(t.ApprovedAfter(approvedBefore: true));
    }

    [Fact]
    public void Approval_of_a_pending_request_clears_a_stale_pre_approval()
    {
        var t = SubscriptionStateMachine.Outbound(NonePendingIn, approved: true, Subscribed);

        Assert.Equal(From, t.NewState);
        Assert.True(t.Deliver);
        Assert.True(t.ClearApproval);
    }

    [Theory]
    [InlineData(Subscribe)]
    [InlineData(Unsubscribe)]
    public void Own_requests_leave_a_pre_approval_in_place(SubscriptionStanza stanza)
    {
        var t = SubscriptionStateMachine.Outbound(None, approved: true, stanza);

        Assert.False(t.ClearApproval);
        Assert.True(t.ApprovedAfter(approvedBefore: true));
    }

    [Theory]
    [InlineData(Subscribed)]
    [InlineData(Unsubscribe)]
    [InlineData(Unsubscribed)]
    public void Only_a_request_consumes_a_pre_approval(SubscriptionStanza stanza)
    {
        var t = SubscriptionStateMachine.Inbound(NonePendingOut, approved: true, stanza);

        Assert.False(t.ClearApproval);
        Assert.False(t.AutoReplySubscribed);
    }
}

using Converge.Core.Roster;
using static Converge.Core.Roster.SubscriptionStanza;
using static Converge.Core.Roster.SubscriptionState;

namespace Converge.Core.Tests.Roster;

/// <summary>RFC 6121 Appendix A, row by row, with no pre-approval in play.</summary>
public sealed class AppendixATableTests
{
    // A.2: existing state, stanza the user sends, new state, routed to the contact?
    public static readonly TheoryData<SubscriptionState, SubscriptionStanza, SubscriptionState, bool> OutboundRows = new()
    {
        // A.2.1 subscribe: always routed
        { None, Subscribe, NonePendingOut, true },
        { NonePendingOut, Subscribe, NonePendingOut, true },
        { NonePendingIn, Subscribe, NonePendingOutIn, true },
        { NonePendingOutIn, Subscribe, NonePendingOutIn, true },
        { To, Subscribe, To, true },
        { ToPendingIn, Subscribe, ToPendingIn, true },
        { From, Subscribe, FromPendingOut, true },
        { FromPendingOut, Subscribe, FromPendingOut, true },
        { Both, Subscribe, Both, true },

        // A.2.2 unsubscribe: always routed
        { None, Unsubscribe, None, true },
        { NonePendingOut, Unsubscribe, None, true },
        { NonePendingIn, Unsubscribe, NonePendingIn, true },
        { NonePendingOutIn, Unsubscribe, NonePendingIn, true },
        { To, Unsubscribe, None, true },
        { ToPendingIn, Unsubscribe, NonePendingIn, true },
        { From, Unsubscribe, From, true },
        { FromPendingOut, Unsubscribe, From, true },
        { Both, Unsubscribe, From, true },

        // A.2.3 subscribed
        { None, Subscribed, None, false },
        { NonePendingOut, Subscribed, NonePendingOut, false },
        { NonePendingIn, Subscribed, From, true },
        { NonePendingOutIn, Subscribed, FromPendingOut, true },
        { To, Subscribed, To, false },
        { ToPendingIn, Subscribed, Both, true },
        { From, Subscribed, From, false },
        { FromPendingOut, Subscribed, FromPendingOut, false },
        { Both, Subscribed, Both, false },

        // A.2.4 unsubscribed
        { None, Unsubscribed, None, false },
        { NonePendingOut, Unsubscribed, NonePendingOut, false },
        { NonePendingIn, Unsubscribed, None, true },
        { NonePendingOutIn, Unsubscribed, NonePendingOut, true },
        { To, Unsubscribed, To, false },
        { ToPendingIn, Unsubscribed, To, true },
        { From, Unsubscribed, None, true },
        { FromPendingOut, Unsubscribed, NonePendingOut, true },
        { Both, Unsubscribed, To, true },
    };

    // A.3: existing state, stanza arriving from the contact, new state, delivered to the user's clients?
    public static readonly TheoryData<SubscriptionState, SubscriptionStanza, SubscriptionState, bool> InboundRows = new()
    {
        // A.3.1 subscribe (From/FromPendingOut/Both: answered by the server, see AutoReply test)
        { None, Subscribe, NonePendingIn, true },
        { NonePendingOut, Subscribe, NonePendingOutIn, true },
        { NonePendingIn, Subscribe, NonePendingIn, false },
        { NonePendingOutIn, Subscribe, NonePendingOutIn, false },
        { To, Subscribe, ToPendingIn, true },
        { ToPendingIn, Subscribe, ToPendingIn, false },
        { From, Subscribe, From, false },
        { FromPendingOut, Subscribe, FromPendingOut, false },
        { Both, Subscribe, Both, false },

        // A.3.2 unsubscribe
        { None, Unsubscribe, None, false },
        { NonePendingOut, Unsubscribe, NonePendingOut, false },
        { NonePendingIn, Unsubscribe, None, true },
        { NonePendingOutIn, Unsubscribe, NonePendingOut, true },
        { To, Unsubscribe, To, false },
        { ToPendingIn, Unsubscribe, To, true },
        { From, Unsubscribe, None, true },
        { FromPendingOut, Unsubscribe, NonePendingOut, true },
        { Both, Unsubscribe, To, true },

        // A.3.3 subscribed: only an answer to our own pending request counts
        { None, Subscribed, None, false },
        { NonePendingOut, Subscribed, To, true },
        { NonePendingIn, Subscribed, NonePendingIn, false },
        { NonePendingOutIn, Subscribed, ToPendingIn, true },
        { To, Subscribed, To, false },
        { ToPendingIn, Subscribed, ToPendingIn, false },
        { From, Subscribed, From, false },
        { FromPendingOut, Subscribed, Both, true },
        { Both, Subscribed, Both, false },

        // A.3.4 unsubscribed
        { None, Unsubscribed, None, false },
        { NonePendingOut, Unsubscribed, None, true },
        { NonePendingIn, Unsubscribed, NonePendingIn, false },
        { NonePendingOutIn, Unsubscribed, NonePendingIn, true },
        { To, Unsubscribed, None, true },
        { ToPendingIn, Unsubscribed, NonePendingIn, true },
        { From, Unsubscribed, From, false },
        { FromPendingOut, Unsubscribed, From, true },
        { Both, Unsubscribed, From, true },
    };

    [Theory]
    [MemberData(nameof(OutboundRows))]
    public void Outbound_follows_appendix_A2(SubscriptionState current, SubscriptionStanza stanza, SubscriptionState expected, bool routed)
    {
        var t = SubscriptionStateMachine.Outbound(current, approved: false, stanza);

        Assert.Equal(expected, t.NewState);
        Assert.Equal(routed, t.Deliver);
    }

    [Theory]
    [MemberData(nameof(InboundRows))]
    public void Inbound_follows_appendix_A3(SubscriptionState current, SubscriptionStanza stanza, SubscriptionState expected, bool delivered)
    {
        var t = SubscriptionStateMachine.Inbound(current, approved: false, stanza);

        Assert.Equal(expected, t.NewState);
        Assert.Equal(delivered, t.Deliver);
    }

    [Theory]
    [MemberData(nameof(InboundRows))]
    public void Inbound_item_is_stored_and_pushed_exactly_when_the_state_changes(
        SubscriptionState current, SubscriptionStanza stanza, SubscriptionState expected, bool delivered)
    {
        _ = delivered;
        var t = SubscriptionStateMachine.Inbound(current, approved: false, stanza);

        Assert.Equal(expected != current, t.StateChanged);
        Assert.False(t.ClearApproval);
        Assert.False(t.SetApproval);
    }

    [Theory]
    [MemberData(nameof(OutboundRows))]
    public void Outbound_item_is_stored_and_pushed_when_the_state_changes_or_a_pre_approval_is_noted(
        SubscriptionState current, SubscriptionStanza stanza, SubscriptionState expected, bool routed)
    {
        _ = routed;
        var t = SubscriptionStateMachine.Outbound(current, approved: false, stanza);

        var preApproval = stanza == Subscribed && current is None or NonePendingOut or To;
        Assert.Equal(expected != current || preApproval, t.StateChanged);
        Assert.Equal(preApproval, t.SetApproval);
    }

    [Fact]
    public void Tables_cover_every_state_and_every_stanza_once_in_each_direction()
    {
        var all = (from s in Enum.GetValues<SubscriptionState>()
                   from st in Enum.GetValues<SubscriptionStanza>()
                   select (s, st)).ToHashSet();

        foreach (var rows in new[] { OutboundRows, InboundRows })
        {
            var covered = rows.Select(r => ((SubscriptionState)r[0], (SubscriptionStanza)r[1])).ToList();
            Assert.Equal(all.Count, covered.Count);
            Assert.True(all.SetEquals(covered));
        }
    }

    [Theory]
    [InlineData(From)]
    [InlineData(FromPendingOut)]
    [InlineData(Both)]
    public void Inbound_subscribe_from_an_existing_subscriber_is_answered_by_the_server(SubscriptionState current)
    {
        var t = SubscriptionStateMachine.Inbound(current, approved: false, Subscribe);

        Assert.True(t.AutoReplySubscribed);
        Assert.True(t.SendPresenceToContact);
        Assert.False(t.Deliver);
        Assert.False(t.StateChanged);
    }

    [Theory]
    [InlineData(None)]
    [InlineData(NonePendingOut)]
    [InlineData(NonePendingIn)]
    [InlineData(NonePendingOutIn)]
    [InlineData(To)]
    [InlineData(ToPendingIn)]
    public void Inbound_subscribe_from_a_non_subscriber_without_pre_approval_is_never_auto_answered(SubscriptionState current)
    {
        var t = SubscriptionStateMachine.Inbound(current, approved: false, Subscribe);

        Assert.False(t.AutoReplySubscribed);
        Assert.False(t.SendPresenceToContact);
    }

    [Theory]
    [InlineData(NonePendingIn, From)]
    [InlineData(NonePendingOutIn, FromPendingOut)]
    [InlineData(ToPendingIn, Both)]
    public void Outbound_approval_sends_the_users_presence_to_the_new_subscriber(SubscriptionState current, SubscriptionState expected)
    {
        var t = SubscriptionStateMachine.Outbound(current, approved: false, Subscribed);

        Assert.Equal(expected, t.NewState);
        Assert.True(t.SendPresenceToContact);
        Assert.False(t.SetApproval);
    }

    [Theory]
    [InlineData(From, true)]
    [InlineData(FromPendingOut, true)]
    [InlineData(Both, true)]
    [InlineData(NonePendingIn, false)]
    [InlineData(NonePendingOutIn, false)]
    [InlineData(ToPendingIn, false)]
    [InlineData(None, false)]
    [InlineData(To, false)]
    public void Outbound_unsubscribed_sends_unavailable_only_when_it_ends_the_contacts_subscription(SubscriptionState current, bool expected)
    {
        var t = SubscriptionStateMachine.Outbound(current, approved: false, Unsubscribed);

        Assert.Equal(expected, t.SendUnavailableToContact);
    }

    [Theory]
    [InlineData(From, true)]
    [InlineData(FromPendingOut, true)]
    [InlineData(Both, true)]
    [InlineData(NonePendingIn, false)]
    [InlineData(ToPendingIn, false)]
    [InlineData(To, false)]
    public void Inbound_unsubscribe_from_a_subscriber_sends_it_unavailable(SubscriptionState current, bool expected)
    {
        var t = SubscriptionStateMachine.Inbound(current, approved: false, Unsubscribe);

        Assert.Equal(expected, t.SendUnavailableToContact);
    }

    [Fact]
    public void Undefined_state_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SubscriptionStateMachine.Outbound((SubscriptionState)42, false, Subscribe));
        Assert.Throws<ArgumentOutOfRangeException>(() => SubscriptionStateMachine.Inbound((SubscriptionState)(-1), false, Subscribed));
    }

    [Fact]
    public void Undefined_stanza_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SubscriptionStateMachine.Outbound(None, false, (SubscriptionStanza)9));
        Assert.Throws<ArgumentOutOfRangeException>(() => SubscriptionStateMachine.Inbound(None, false, (SubscriptionStanza)9));
    }
}

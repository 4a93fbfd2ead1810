using Converge.Core.Roster;
using static Converge.Core.Roster.SubscriptionStanza;
using static Converge.Core.Roster.SubscriptionState;

namespace Converge.Core.Tests.Roster;

/// <summary>
/// Whole exchanges between two users on two servers, each server applying the state machine to its
/// own user's roster item: the seed-000 flow (alice adds bob, bob accepts and adds alice back) and
/// its variants.
/// </summary>
public sealed class SubscriptionFlowTests
{
    private readonly Party _alice = new("alice@a.example");
    private readonly Party _bob = new("bob@b.example");

    [Fact]
    public void Seed_flow_alice_adds_bob_bob_accepts_and_adds_alice_back_ends_in_both()
    {
        // Alice adds Bob: her item shows subscription='none' ask='subscribe'; Bob's client is asked.
        Send(_alice, _bob, Subscribe);
        Assert.Equal(NonePendingOut, _alice.State);
        Assert.Equal(("none", true), _alice.Attributes);
        Assert.Equal(NonePendingIn, _bob.State);
        Assert.Equal([Subscribe], _bob.ClientSaw);

        // Bob accepts: Alice now receives Bob's presence.
        Send(_bob, _alice, Subscribed);
        Assert.Equal(From, _bob.State);
        Assert.Equal(To, _alice.State);
        Assert.Equal([Subscribed], _alice.ClientSaw);
        Assert.True(_alice.GotPresenceFromContact);

        // Bob is offered to add Alice back and does: Alice's client is asked.
        Send(_bob, _alice, Subscribe);
        Assert.Equal(FromPendingOut, _bob.State);
        Assert.Equal(ToPendingIn, _alice.State);
        Assert.Equal([Subscribed, Subscribe], _alice.ClientSaw);

        // Alice's client approves.
        Send(_alice, _bob, Subscribed);
        Assert.Equal(Both, _alice.State);
        Assert.Equal(Both, _bob.State);
        Assert.True(_bob.GotPresenceFromContact);
        Assert.Equal(("both", false), _alice.Attributes);
        Assert.Equal(("both", false), _bob.Attributes);
        Assert.False(_alice.Approved);
        Assert.False(_bob.Approved);
    }

    [Fact]
    public void Alice_pre_approving_bob_lets_her_server_answer_his_request_without_asking_her()
    {
        Send(_alice, _bob, Subscribe);
        Send(_alice, _bob, Subscribed); // pre-approval: stays on Alice's server
        Assert.True(_alice.Approved);
        Assert.Equal(NonePendingOut, _alice.State);
        Assert.Equal([Subscribe], _bob.ClientSaw);

        Send(_bob, _alice, Subscribed);
        Send(_bob, _alice, Subscribe);

        Assert.Equal(Both, _alice.State);
        Assert.Equal(Both, _bob.State);
        Assert.False(_alice.Approved);
        Assert.DoesNotContain(Subscribe, _alice.ClientSaw);
        Assert.True(_bob.GotPresenceFromContact);
    }

    [Fact]
    public void Bob_declining_leaves_both_with_nothing()
    {
        Send(_alice, _bob, Subscribe);
        Send(_bob, _alice, Unsubscribed);

        Assert.Equal(None, _alice.State);
        Assert.Equal(None, _bob.State);
        Assert.Equal([Unsubscribed], _alice.ClientSaw);
        Assert.False(_alice.GotUnavailableFromContact);
    }

    [Fact]
    public void Cancelling_and_unsubscribing_from_both_returns_to_none()
    {
        SubscribeBothWays();

        Send(_alice, _bob, Unsubscribed); // Bob may no longer see Alice
        Assert.Equal(To, _alice.State);
        Assert.Equal(From, _bob.State);
        Assert.True(_bob.GotUnavailableFromContact);

        Send(_alice, _bob, Unsubscribe); // Alice no longer wants Bob's presence
        Assert.Equal(None, _alice.State);
        Assert.Equal(None, _bob.State);
        Assert.True(_alice.GotUnavailableFromContact);
    }

    [Fact]
    public void Repeated_subscribe_after_lost_state_is_routed_and_answered_by_the_contacts_server()
    {
        SubscribeBothWays();
        var bobSawBefore = _bob.ClientSaw.Count;
        var aliceSawBefore = _alice.ClientSaw.Count;

        Send(_alice, _bob, Subscribe);

        Assert.Equal(Both, _alice.State);
        Assert.Equal(Both, _bob.State);
        Assert.Equal(bobSawBefore, _bob.ClientSaw.Count);
        Assert.Equal(aliceSawBefore, _alice.ClientSaw.Count); // the auto 'subscribed' is not news to Alice
    }

    private void SubscribeBothWays()
    {
        Send(_alice, _bob, Subscribe);
        Send(_bob, _alice, Subscribed);
        Send(_bob, _alice, Subscribe);
        Send(_alice, _bob, Subscribed);
        Assert.Equal((Both, Both), (_alice.State, _bob.State));
    }

    // One server's processing of a stanza its user sends, and of what the other server sends back.
    private static void Send(Party sender, Party receiver, SubscriptionStanza stanza)
    {
        var t = SubscriptionStateMachine.Outbound(sender.State, sender.Approved, stanza);
        sender.Apply(t);
        if (t.SendUnavailableToContact)
        {
            receiver.GotUnavailableFromContact = true;
        }

        if (t.SendPresenceToContact)
        {
            receiver.GotPresenceFromContact = true;
        }

        if (t.Deliver)
        {
            Receive(receiver, sender, stanza);
        }
    }

    private static void Receive(Party receiver, Party sender, SubscriptionStanza stanza)
    {
        var t = SubscriptionStateMachine.Inbound(receiver.State, receiver.Approved, stanza);
        receiver.Apply(t);
        if (t.Deliver)
        {
            receiver.ClientSaw.Add(stanza);
        }

        if (t.SendUnavailableToContact)
        {
            sender.GotUnavailableFromContact = true;
        }

        if (t.SendPresenceToContact)
        {
            sender.GotPresenceFromContact = true;
        }

        if (t.AutoReplySubscribed)
        {
            Receive(sender, receiver, Subscribed);
        }
    }

    /// <summary>A user and the one roster item they hold for the other party.</summary>
    private sealed class Party(string jid)
    {
        public string Jid { get; } = jid;
        public SubscriptionState State { get; private set; } = None;
        public bool Approved { get; private set; }
        public List<SubscriptionStanza> ClientSaw { get; } = [];
        public bool GotPresenceFromContact { get; set; }
        public bool GotUnavailableFromContact { get; set; }

        public (string Subscription, bool Ask) Attributes =>
            (SubscriptionStateMachine.SubscriptionAttribute(State), SubscriptionStateMachine.AskAttribute(State));

        public void Apply(SubscriptionTransition t)
        {
            Assert.Equal(t.StateChanged, t.NewState != State || t.ApprovedAfter(Approved) != Approved);
            State = t.NewState;
            Approved = t.ApprovedAfter(Approved);
        }

        public override string ToString() => Jid;
    }
}

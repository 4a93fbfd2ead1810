using static Converge.Core.Roster.SubscriptionState;

namespace Converge.Core.Roster;

/// <summary>
/// The presence subscription rules of RFC 6121, as seen by the server of the user who owns the
/// roster. The core is the eight tables of Appendix A (A.2 outbound, A.3 inbound); on top of them
/// sit the rules the tables leave to the text: pre-approval (§3.4), the automatic 'subscribed'
/// answer (§3.1.3) and the presence the server sends when a subscription starts or ends.
/// </summary>
public static class SubscriptionStateMachine
{
    // Each table is indexed by SubscriptionState in declaration order:
    // None, NonePendingOut, NonePendingIn, NonePendingOutIn, To, ToPendingIn, From, FromPendingOut, Both.
    // Pass is the table's ROUTE? column (outbound) or DELIVER? column (inbound).

    // A.2.1: always routed, even without a state change, so a contact's server that lost
    // its state can resynchronise.
    private static readonly Row[] OutboundSubscribe =
    [
        new(NonePendingOut, true), new(NonePendingOut, true), new(NonePendingOutIn, true), new(NonePendingOutIn, true),
        new(To, true), new(ToPendingIn, true), new(FromPendingOut, true), new(FromPendingOut, true), new(Both, true),
    ];

    // A.2.2: always routed, for the same reason.
    private static readonly Row[] OutboundUnsubscribe =
    [
        new(None, true), new(None, true), new(NonePendingIn, true), new(NonePendingIn, true),
        new(None, true), new(NonePendingIn, true), new(From, true), new(From, true), new(From, true),
    ];

    // A.2.3: only an answer to a pending request is routed.
    private static readonly Row[] OutboundSubscribed =
    [
        new(None, false), new(NonePendingOut, false), new(From, true), new(FromPendingOut, true),
        new(To, false), new(Both, true), new(From, false), new(FromPendingOut, false), new(Both, false),
    ];

    // A.2.4: routed only when it refuses a request or cancels the contact's subscription.
    private static readonly Row[] OutboundUnsubscribed =
    [
        new(None, false), new(NonePendingOut, false), new(None, true), new(NonePendingOut, true),
        new(To, false), new(To, true), new(None, true), new(NonePendingOut, true), new(To, true),
    ];

    // A.3.1: a repeated request is not shown again; From/FromPendingOut/Both are answered automatically.
    private static readonly Row[] InboundSubscribe =
    [
        new(NonePendingIn, true), new(NonePendingOutIn, true), new(NonePendingIn, false), new(NonePendingOutIn, false),
        new(ToPendingIn, true), new(ToPendingIn, false), new(From, false), new(FromPendingOut, false), new(Both, false),
    ];

    // A.3.2
    private static readonly Row[] InboundUnsubscribe =
    [
        new(None, false), new(NonePendingOut, false), new(None, true), new(NonePendingOut, true),
        new(To, false), new(To, true), new(None, true), new(NonePendingOut, true), new(To, true),
    ];

    // A.3.3: an approval nobody asked for is dropped (§3.1.6).
    private static readonly Row[] InboundSubscribed =
    [
        new(None, false), new(To, true), new(NonePendingIn, false), new(ToPendingIn, true),
        new(To, false), new(ToPendingIn, false), new(From, false), new(Both, true), new(Both, false),
    ];

    // A.3.4
    private static readonly Row[] InboundUnsubscribed =
    [
        new(None, false), new(None, true), new(NonePendingIn, false), new(NonePendingIn, true),
        new(None, true), new(NonePendingIn, true), new(From, false), new(From, true), new(From, true),
    ];

    /// <summary>The user (roster owner) sends <paramref name="stanza"/> to a contact.</summary>
    /// <param name="current">The contact's roster state (<see cref="None"/> if not in the roster).</param>
    /// <param name="approved">The item's pre-approval flag.</param>
    public static SubscriptionTransition Outbound(SubscriptionState current, bool approved, SubscriptionStanza stanza) =>
        stanza switch
        {
            SubscriptionStanza.Subscribe => FromTable(current, OutboundSubscribe),
            SubscriptionStanza.Unsubscribe => FromTable(current, OutboundUnsubscribe),
            SubscriptionStanza.Subscribed => OutboundApproval(current, approved),
            SubscriptionStanza.Unsubscribed => OutboundCancellation(current, approved),
            _ => throw new ArgumentOutOfRangeException(nameof(stanza), stanza, "not a subscription stanza"),
        };

    /// <summary>A subscription stanza from a contact arrives for the user.</summary>
    /// <param name="current">The contact's roster state (<see cref="None"/> if not in the roster).</param>
    /// <param name="approved">The item's pre-approval flag.</param>
    public static SubscriptionTransition Inbound(SubscriptionState current, bool approved, SubscriptionStanza stanza) =>
        stanza switch
        {
            SubscriptionStanza.Subscribe => InboundRequest(current, approved),
            SubscriptionStanza.Subscribed => FromTable(current, InboundSubscribed),
            SubscriptionStanza.Unsubscribe => FromTable(current, InboundUnsubscribe) with
            {
                // §3.3.3: the contact stops receiving the user's presence, so it is told the user is gone.
                SendUnavailableToContact = SendsPresenceToContact(current),
            },
            SubscriptionStanza.Unsubscribed => FromTable(current, InboundUnsubscribed),
            _ => throw new ArgumentOutOfRangeException(nameof(stanza), stanza, "not a subscription stanza"),
        };

    /// <summary>The user receives the contact's presence ('to' or 'both').</summary>
    public static bool ReceivesPresenceFromContact(SubscriptionState s) => s is To or ToPendingIn or Both;

    /// <summary>The contact receives the user's presence ('from' or 'both').</summary>
    public static bool SendsPresenceToContact(SubscriptionState s) => s is From or FromPendingOut or Both;

    /// <summary>The user asked for the contact's presence and has no answer yet.</summary>
    public static bool PendingOut(SubscriptionState s) => s is NonePendingOut or NonePendingOutIn or FromPendingOut;

    /// <summary>The contact asked for the user's presence and the user has not answered yet.</summary>
    public static bool PendingIn(SubscriptionState s) => s is NonePendingIn or NonePendingOutIn or ToPendingIn;

    /// <summary>The roster item's 'subscription' attribute: none, to, from or both (RFC 6121 §2.1.2.5).</summary>
    public static string SubscriptionAttribute(SubscriptionState s) =>
        (ReceivesPresenceFromContact(s), SendsPresenceToContact(s)) switch
        {
            (true, true) => "both",
            (true, false) => "to",
            (false, true) => "from",
            _ => "none",
        };

    /// <summary>Whether the roster item carries ask='subscribe' (RFC 6121 §2.1.2.2).</summary>
    public static bool AskAttribute(SubscriptionState s) => PendingOut(s);

    /// <summary>
    /// The state made of its four facts, e.g. from stored columns or from roster attributes
    /// (to = subscription is to/both, from = from/both, pendingOut = ask). A pending request in a
    /// direction that is already subscribed has no state of its own and is dropped.
    /// </summary>
    public static SubscriptionState Compose(bool to, bool from, bool pendingOut, bool pendingIn) =>
        (to, from) switch
        {
            (true, true) => Both,
            (true, false) => pendingIn ? ToPendingIn : To,
            (false, true) => pendingOut ? FromPendingOut : From,
            _ => (pendingOut, pendingIn) switch
            {
                (true, true) => NonePendingOutIn,
                (true, false) => NonePendingOut,
                (false, true) => NonePendingIn,
                _ => None,
            },
        };

    // §3.1.5 / §3.4: 'subscribed' either answers a pending request or, with none pending, pre-approves.
    private static SubscriptionTransition OutboundApproval(SubscriptionState current, bool approved)
    {
        var answer = FromTable(current, OutboundSubscribed);
        if (answer.Deliver)
        {
            return answer with { SendPresenceToContact = true, ClearApproval = approved };
        }

        // §3.4.1: pre-approval applies to "None", "None + Pending Out" and "To"; the stanza is not routed.
        var canPreApprove = !SendsPresenceToContact(current) && !PendingIn(current);
        return canPreApprove && !approved
            ? answer with { StateChanged = true, SetApproval = true }
            : answer;
    }

    // §3.2.2 and A.2.4; 'unsubscribed' also withdraws a pre-approval.
    private static SubscriptionTransition OutboundCancellation(SubscriptionState current, bool approved)
    {
        var cancel = FromTable(current, OutboundUnsubscribed);
        return cancel with
        {
            StateChanged = cancel.StateChanged || approved,
            ClearApproval = approved,
            SendUnavailableToContact = SendsPresenceToContact(current),
        };
    }

    // §3.1.3 and §3.4: a contact that is already subscribed, or that the user pre-approved, is
    // answered by the server; the user's clients never see the request.
    private static SubscriptionTransition InboundRequest(SubscriptionState current, bool approved)
    {
        if (SendsPresenceToContact(current))
        {
            return new SubscriptionTransition(
                current,
                StateChanged: approved,
                Deliver: false,
                AutoReplySubscribed: true,
                ClearApproval: approved,
                SendPresenceToContact: true,
                SendUnavailableToContact: false);
        }

        if (approved)
        {
            var next = Compose(ReceivesPresenceFromContact(current), from: true, PendingOut(current), pendingIn: false);
            return new SubscriptionTransition(
                next,
                StateChanged: true,
                Deliver: false,
                AutoReplySubscribed: true,
                ClearApproval: true,
                SendPresenceToContact: true,
                SendUnavailableToContact: false);
        }

        return FromTable(current, InboundSubscribe);
    }

    private static SubscriptionTransition FromTable(SubscriptionState current, Row[] table)
    {
        if ((uint)current >= (uint)table.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(current), current, "not a subscription state");
        }

        var row = table[(int)current];
        return new SubscriptionTransition(
            row.Next,
            StateChanged: row.Next != current,
            Deliver: row.Pass,
            AutoReplySubscribed: false,
            ClearApproval: false,
            SendPresenceToContact: false,
            SendUnavailableToContact: false);
    }

    private readonly record struct Row(SubscriptionState Next, bool Pass);
}

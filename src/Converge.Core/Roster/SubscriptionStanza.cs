namespace Converge.Core.Roster;

/// <summary>The four presence types that manage subscriptions (RFC 6121 §3).</summary>
public enum SubscriptionStanza
{
    /// <summary>Request to receive the other party's presence.</summary>
    Subscribe,

    /// <summary>Approval of a request (or, unsolicited, a pre-approval: RFC 6121 §3.4).</summary>
    Subscribed,

    /// <summary>Stop receiving the other party's presence.</summary>
    Unsubscribe,

    /// <summary>Refusal of a request, or cancellation of the other party's subscription.</summary>
    Unsubscribed,
}

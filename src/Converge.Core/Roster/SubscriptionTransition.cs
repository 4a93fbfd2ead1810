namespace Converge.Core.Roster;

/// <summary>
/// What the user's server does with one subscription stanza, as decided by
/// <see cref="SubscriptionStateMachine"/>. Pure data: the caller stores, pushes and routes.
/// </summary>
/// <param name="NewState">The roster item's state afterwards.</param>
/// <param name="StateChanged">The roster item (state or 'approved' flag) changed: store it and push it
/// to the user's interested resources.</param>
/// <param name="Deliver">Inbound: hand the stanza to the user's client(s). Outbound: route it to the contact.</param>
/// <param name="AutoReplySubscribed">Inbound 'subscribe' that the server answers with 'subscribed' on the
/// user's behalf (contact already subscribed, or pre-approved).</param>
/// <param name="ClearApproval">The pre-approval is consumed or withdrawn: store approved='false'.</param>
/// <param name="SendPresenceToContact">The contact has just become (or is confirmed as) a subscriber: send it
/// the user's current presence from every available resource (RFC 6121 §3.1.5).</param>
/// <param name="SendUnavailableToContact">The contact's subscription to the user ended: send it unavailable
/// presence from every available resource of the user, before the stanza itself is routed
/// (RFC 6121 §3.2.2, §3.3.3).</param>
/// <param name="SetApproval">Outbound 'subscribed' with no request pending: the user pre-approves the
/// contact; store approved='true' and do not route the stanza (RFC 6121 §3.4).</param>
public readonly record struct SubscriptionTransition(
    SubscriptionState NewState,
    bool StateChanged,
    bool Deliver,
    bool AutoReplySubscribed,
    bool ClearApproval,
    bool SendPresenceToContact,
    bool SendUnavailableToContact,
    bool SetApproval = false)
{
    /// <summary>The roster item's 'approved' flag after this transition.</summary>
    public bool ApprovedAfter(bool approvedBefore) => SetApproval || (approvedBefore && !ClearApproval);
}

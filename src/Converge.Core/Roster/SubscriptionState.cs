namespace Converge.Core.Roster;

/// <summary>
/// The nine subscription states of RFC 6121 Appendix A, from the point of view of the
/// user who owns the roster ("To" = the user receives the contact's presence).
/// Pre-approval is kept separately (<see cref="RosterItem.Approved"/>).
/// </summary>
public enum SubscriptionState
{
    None,
    NonePendingOut,
    NonePendingIn,
    NonePendingOutIn,
    To,
    ToPendingIn,
    From,
    FromPendingOut,
    Both,
}

using Converge.Core.Addressing;

namespace Converge.Core.Roster;

/// <summary>One contact in a user's roster (RFC 6121 §2.1.2).</summary>
/// <param name="Contact">The contact's bare JID.</param>
/// <param name="Name">Handle the user gave the contact.</param>
/// <param name="Groups">Groups the item belongs to.</param>
/// <param name="State">Subscription state including pending flags.</param>
/// <param name="Approved">Pre-approval of a future inbound subscription request (RFC 6121 §3.4).</param>
/// <param name="InRoster">False for a "pending-in only" entry that the user never added:
/// RFC 6121 keeps such state but does not show it in the roster.</param>
public sealed record RosterItem(
    Jid Contact,
    string? Name,
    IReadOnlyList<string> Groups,
    SubscriptionState State,
    bool Approved = false,
    bool InRoster = true);

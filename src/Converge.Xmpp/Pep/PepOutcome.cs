namespace Converge.Xmpp.Pep;

/// <summary>Why a PEP request failed: a stanza error condition, an optional pubsub#errors condition and a text.</summary>
internal sealed record PepOutcome(string Condition, string? PubSubCondition = null, string? Text = null)
{
    public static readonly PepOutcome NotFound = new("item-not-found", Text: "No such node.");

    public static readonly PepOutcome OwnerOnly = new("forbidden", Text: "Only the owner may change a PEP node.");

    public static PepOutcome PresenceRequired => new("not-authorized", "presence-subscription-required", "The node is for the owner's contacts.");

    public static PepOutcome Blocked => new("forbidden", Text: "The owner has barred you from this node.");

    public static PepOutcome Closed => new("not-allowed", "closed-node", "The node is private to its owner.");
}

namespace Converge.Interworking.Function;

/// <summary>What the interworking function hands the XMPP side: a message for a CPM user from a legacy user (or about one).</summary>
/// <param name="From">The legacy user's JID (+E164@domain).</param>
/// <param name="To">The CPM user's bare JID.</param>
/// <param name="Thread">The conversation's XMPP thread.</param>
/// <param name="RefersTo">For errors and receipts: the id of the CPM user's message concerned.</param>
/// <param name="Subject">The conversation's subject, where the legacy service has one (email).</param>
public sealed record InboundConversationMessage(string From, string To, ConversationKind Kind, string Text, string Thread, string? RefersTo = null, string? Subject = null);

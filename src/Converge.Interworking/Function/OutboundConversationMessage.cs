namespace Converge.Interworking.Function;

/// <summary>A CPM user's message (or session action) for a legacy user, as the router handed it over.</summary>
/// <param name="Sender">The CPM user's bare JID.</param>
/// <param name="SenderMsisdn">The CPM user's own number, used as SMS sender when present.</param>
/// <param name="Recipient">The legacy address (+E164).</param>
/// <param name="RecipientJid">The address the CPM user wrote (+E164@domain or a subscriber's JID), for answers.</param>
/// <param name="Thread">The XMPP thread, if the client sent one.</param>
/// <param name="MessageId">The stanza id, for errors and receipts.</param>
/// <param name="ReceiptRequested">The sender asked for a delivery receipt (XEP-0184).</param>
/// <param name="SenderFullJid">The sending resource, so that an error reaches the client that sent.</param>
public sealed record OutboundConversationMessage(
    string Sender,
    string? SenderMsisdn,
    string Recipient,
    string RecipientJid,
    ConversationKind Kind,
    string Text,
    string? Thread,
    string? MessageId,
    bool ReceiptRequested,
    string? SenderFullJid = null);

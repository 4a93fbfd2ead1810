using System.Text.Json.Serialization;

namespace Converge.Interworking.Function;

/// <summary>What the outbox keeps for one legacy message: everything needed to send it and to report back.</summary>
/// <param name="Source">The SMS sender number chosen (own MSISDN or a pool number).</param>
/// <param name="Text">The text as it goes out (already adapted for session actions).</param>
/// <param name="Mail">For email: the mail's headers, settled when it was accepted.</param>
public sealed record OutboxEnvelope(OutboundConversationMessage Message, string Thread, string? Source, string Text, MailHeaders? Mail = null);

/// <summary>What an outgoing mail's headers say about its conversation.</summary>
public sealed record MailHeaders(string From, string Subject, string MessageId, string? InReplyTo, IReadOnlyList<string> References);

[JsonSerializable(typeof(OutboxEnvelope))]
internal sealed partial class OutboxJson : JsonSerializerContext;

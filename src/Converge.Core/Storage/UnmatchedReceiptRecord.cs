namespace Converge.Core.Storage;

/// <summary>
/// A delivery report whose message id named no tracked part: most often the report of a part whose
/// submit_sm_resp was lost in a crash. <paramref name="Handset"/> is the report's source (the SMS
/// user), <paramref name="ProviderNumber"/> its destination (the number we sent from);
/// <paramref name="State"/> the reported state's number (SMPP message_state).
/// </summary>
public sealed record UnmatchedReceiptRecord(string MessageId, string Handset, string ProviderNumber, int State, DateTimeOffset ReceivedAt);

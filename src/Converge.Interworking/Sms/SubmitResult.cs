namespace Converge.Interworking.Sms;

/// <summary>The SMSC's message id of each part, in order; the encoding is "GSM7" or "UCS2".</summary>
public sealed record SubmitResult(IReadOnlyList<string> MessageIds, int Parts, string Encoding);

namespace Converge.Interworking.Email;

/// <summary>
/// The outcome for one recipient: the status, the server's reply code and text (or, with no code,
/// a description of what went wrong before any reply), and the host that gave it.
/// </summary>
public sealed record SmtpRecipientResult(string Recipient, SmtpDeliveryStatus Status, int? ReplyCode, string Reply, string? Host)
{
    public override string ToString() => ReplyCode is { } code ? $"{Recipient}: {Status} {code} {Reply}" : $"{Recipient}: {Status} {Reply}";
}

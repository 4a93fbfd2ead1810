namespace Converge.Interop.Email;

/// <summary>
/// A mail Converge handed to the relay, as aiosmtpd received it (envelope) and Python's email
/// package read it (headers decoded, text/plain body decoded from its transfer encoding and charset).
/// </summary>
internal sealed record RelayedMail(
    int N,
    string MailFrom,
    IReadOnlyList<string> RcptTos,
    string? From,
    string? To,
    string? Subject,
    string? MessageId,
    string? InReplyTo,
    string? References,
    string ContentType,
    string? Charset,
    string? Text,
    string Raw)
{
    public bool IsFor(string address) => RcptTos.Contains(address, StringComparer.OrdinalIgnoreCase);

    /// <summary>The body without the line break the writer ends it with.</summary>
    public string? TrimmedText => Text?.TrimEnd('\n');

    public string RawText => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(Raw));
}

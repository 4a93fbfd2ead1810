using MailKit;
using MailKit.Net.Smtp;
using MimeKit;

namespace Converge.Interworking.Email;

/// <summary>
/// MailKit's SMTP client, told to go on past a refused recipient (its default is to throw on the
/// first) and to remember each RCPT reply, so that every recipient gets its own result.
/// </summary>
internal sealed class RecipientRecordingClient(IReadOnlyList<string> recipients) : SmtpClient
{
    private readonly SmtpReply?[] _refusals = new SmtpReply?[recipients.Count];
    private readonly List<int> _accepted = [];
    private int _next;

    /// <summary>The positions of the recipients the server accepted.</summary>
    public IReadOnlyList<int> Accepted => _accepted;

    /// <summary>
    /// Each recipient's result: its refusal, or for an accepted one the reply to the message
    /// (<paramref name="final"/>; null when there was none, e.g. the connection broke).
    /// </summary>
    public List<SmtpRecipientResult> Results(SmtpReply? final, string host) =>
        [.. recipients.Select((recipient, i) => _refusals[i] is { } refusal ? SmtpSender.Result(recipient, refusal, host)
            : final is not null && _accepted.Contains(i) ? SmtpSender.Result(recipient, final, host)
            : new SmtpRecipientResult(recipient, SmtpDeliveryStatus.TransientFailure, null, "4.4.1 No reply to the message", host))];

    protected override void OnRecipientAccepted(MimeMessage message, MimeKit.MailboxAddress mailbox, SmtpResponse response) => _accepted.Add(_next++);

    protected override void OnRecipientNotAccepted(MimeMessage message, MimeKit.MailboxAddress mailbox, SmtpResponse response) =>
        _refusals[_next++] = new SmtpReply((int)response.StatusCode, response.Response);

    protected override void OnNoRecipientsAccepted(MimeMessage message) => throw new NoRecipientAcceptedException();
}

/// <summary>Every recipient was refused: there is no message to send, and each refusal is its recipient's result.</summary>
internal sealed class NoRecipientAcceptedException() : Exception("No recipient was accepted");

/// <summary>Tells whether all of the message went out, after which a broken connection may still have delivered it.</summary>
internal sealed class DataProgress : ITransferProgress
{
    public bool DataSent { get; private set; }

    public void Report(long bytesTransferred, long totalSize) => DataSent |= bytesTransferred >= totalSize;

    public void Report(long bytesTransferred)
    {
    }
}

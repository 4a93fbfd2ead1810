namespace Converge.Interworking.Email;

/// <summary>MAIL FROM: starts a transaction; a declared SIZE over the limit is refused up front (RFC 1870), and so is any mail while storage is full (452 4.3.1).</summary>
internal sealed class MailCommand(string reversePath, long? declaredSize, bool is8BitMime) : SmtpCommand
{
    public override SmtpVerb Verb => SmtpVerb.Mail;

    public string ReversePath => reversePath;

    public long? DeclaredSize => declaredSize;

    public override ValueTask<SmtpCommandOutcome> ExecuteAsync(SmtpSession session, CancellationToken cancellationToken)
    {
        if (declaredSize > session.Options.MaxMessageBytes)
        {
            return ValueTask.FromResult(SmtpCommandOutcome.Failure(SmtpReplies.MessageTooBig(session.Options.MaxMessageBytes)));
        }

        if (SmtpStorageCheck.Refuses(session, "MAIL"))
        {
            return ValueTask.FromResult(SmtpCommandOutcome.Failure(SmtpReplies.InsufficientStorage));
        }

        session.BeginTransaction(reversePath, is8BitMime);
        return ValueTask.FromResult(SmtpCommandOutcome.Success(SmtpReplies.SenderOk));
    }
}

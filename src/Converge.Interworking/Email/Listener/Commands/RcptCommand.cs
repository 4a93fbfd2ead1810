namespace Converge.Interworking.Email;

/// <summary>RCPT TO: one recipient, accepted or refused by the listener's ValidateRecipient hook.</summary>
internal sealed class RcptCommand(string recipient) : SmtpCommand
{
    public override SmtpVerb Verb => SmtpVerb.Rcpt;

    public string Recipient => recipient;

    public override async ValueTask<SmtpCommandOutcome> ExecuteAsync(SmtpSession session, CancellationToken cancellationToken)
    {
        var transaction = session.Transaction!;
        if (transaction.Recipients.Count >= session.Options.MaxRecipients)
        {
            return SmtpCommandOutcome.Failure(SmtpReplies.TooManyRecipients);
        }

        // A pipelining client sent MAIL before the disk filled: its recipients are refused the same way.
        if (SmtpStorageCheck.Refuses(session, "RCPT"))
        {
            return SmtpCommandOutcome.Failure(SmtpReplies.InsufficientStorage);
        }

        var reply = SmtpReplies.RecipientOk;
        if (session.Listener.ValidateRecipient is { } validate)
        {
            var context = new SmtpRecipientContext
            {
                Recipient = recipient,
                ReversePath = transaction.ReversePath,
                AcceptedRecipients = [.. transaction.Recipients],
                HeloName = session.HeloName,
                RemoteEndPoint = session.RemoteEndPoint,
                IsSecure = session.IsSecure,
            };
            try
            {
                reply = await validate(context, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                SmtpListenerLog.HookFailed(session.Logger, session.Id, "ValidateRecipient", e);
                return SmtpCommandOutcome.Failure(SmtpReply.LocalError);
            }
        }

        if (reply.Code / 100 != 2)
        {
            SmtpListenerLog.RecipientRefused(session.Logger, session.Id, recipient, reply.Code);
            return SmtpCommandOutcome.Failure(reply);
        }

        if (!transaction.Recipients.Contains(recipient, StringComparer.OrdinalIgnoreCase))
        {
            transaction.Recipients.Add(recipient);
        }

        return SmtpCommandOutcome.Success(reply);
    }
}

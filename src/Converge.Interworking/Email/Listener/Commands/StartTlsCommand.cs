namespace Converge.Interworking.Email;

/// <summary>STARTTLS (RFC 3207): 220, the TLS handshake, and the session starts over (EHLO again).</summary>
internal sealed class StartTlsCommand : SmtpCommand
{
    public override SmtpVerb Verb => SmtpVerb.StartTls;

    public override async ValueTask<SmtpCommandOutcome> ExecuteAsync(SmtpSession session, CancellationToken cancellationToken)
    {
        if (session.Options.Certificate is null)
        {
            return SmtpCommandOutcome.Failure(SmtpReplies.TlsNotAvailable);
        }

        if (session.IsSecure)
        {
            return SmtpCommandOutcome.Failure(SmtpReplies.TlsActive);
        }

        await session.WriteReplyAsync(SmtpReplies.ReadyForTls, flush: true, cancellationToken).ConfigureAwait(false);
        if (!await session.UpgradeToTlsAsync(cancellationToken).ConfigureAwait(false))
        {
            return SmtpCommandOutcome.Closing(null);
        }

        session.Restart();
        return SmtpCommandOutcome.Success(null);
    }
}

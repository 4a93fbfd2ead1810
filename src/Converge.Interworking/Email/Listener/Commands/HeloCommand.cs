namespace Converge.Interworking.Email;

/// <summary>HELO: a plain SMTP session (no extensions).</summary>
internal sealed class HeloCommand(string domain) : SmtpCommand
{
    public override SmtpVerb Verb => SmtpVerb.Helo;

    public override ValueTask<SmtpCommandOutcome> ExecuteAsync(SmtpSession session, CancellationToken cancellationToken)
    {
        session.Identify(domain, extended: false);
        return ValueTask.FromResult(SmtpCommandOutcome.Success(new SmtpReply(250, session.Options.Hostname)));
    }
}

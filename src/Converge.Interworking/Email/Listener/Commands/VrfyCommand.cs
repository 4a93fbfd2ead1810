namespace Converge.Interworking.Email;

/// <summary>VRFY: 252, neither confirming nor denying a user (RFC 5321 §3.5.3), so it cannot be used to harvest addresses.</summary>
internal sealed class VrfyCommand : SmtpCommand
{
    public override SmtpVerb Verb => SmtpVerb.Vrfy;

    public override ValueTask<SmtpCommandOutcome> ExecuteAsync(SmtpSession session, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SmtpCommandOutcome.Success(SmtpReplies.CannotVerify));
}

namespace Converge.Interworking.Email;

/// <summary>NOOP: nothing but a 250.</summary>
internal sealed class NoopCommand : SmtpCommand
{
    public override SmtpVerb Verb => SmtpVerb.Noop;

    public override ValueTask<SmtpCommandOutcome> ExecuteAsync(SmtpSession session, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SmtpCommandOutcome.Success(SmtpReplies.Ok));
}

namespace Converge.Interworking.Email;

/// <summary>QUIT: 221 and the connection is closed.</summary>
internal sealed class QuitCommand : SmtpCommand
{
    public override SmtpVerb Verb => SmtpVerb.Quit;

    public override ValueTask<SmtpCommandOutcome> ExecuteAsync(SmtpSession session, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SmtpCommandOutcome.Closing(SmtpReplies.Bye));
}

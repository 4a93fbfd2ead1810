namespace Converge.Interworking.Email;

/// <summary>A parsed command; executing it is separate from parsing it (one class per command).</summary>
internal abstract class SmtpCommand
{
    public abstract SmtpVerb Verb { get; }

    public abstract ValueTask<SmtpCommandOutcome> ExecuteAsync(SmtpSession session, CancellationToken cancellationToken);
}

namespace Converge.Interworking.Email;

/// <summary>
/// What a command did: the reply to send (none when the command already wrote everything), whether it
/// succeeded (only then does the state table move the session on), and whether the session ends.
/// </summary>
internal readonly record struct SmtpCommandOutcome(SmtpReply? Reply, bool Succeeded, bool Close = false)
{
    public static SmtpCommandOutcome Success(SmtpReply? reply) => new(reply, true);

    public static SmtpCommandOutcome Failure(SmtpReply reply) => new(reply, false);

    public static SmtpCommandOutcome Closing(SmtpReply? reply) => new(reply, false, Close: true);
}

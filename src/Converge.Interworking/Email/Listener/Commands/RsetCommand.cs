namespace Converge.Interworking.Email;

/// <summary>RSET: abandons the transaction, keeps the session.</summary>
internal sealed class RsetCommand : SmtpCommand
{
    public override SmtpVerb Verb => SmtpVerb.Rset;

    public override ValueTask<SmtpCommandOutcome> ExecuteAsync(SmtpSession session, CancellationToken cancellationToken)
    {
        session.EndTransaction();
        return ValueTask.FromResult(SmtpCommandOutcome.Success(SmtpReplies.Ok));
    }
}

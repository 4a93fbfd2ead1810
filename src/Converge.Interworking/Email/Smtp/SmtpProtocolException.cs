namespace Converge.Interworking.Email;

/// <summary>The peer broke the SMTP framing (a reply that is not a reply); the connection is abandoned.</summary>
internal sealed class SmtpProtocolException : Exception
{
    public SmtpProtocolException()
    {
    }

    public SmtpProtocolException(string message)
        : base(message)
    {
    }

    public SmtpProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

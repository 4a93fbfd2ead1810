using System.Globalization;

namespace Converge.Interworking.Email;

/// <summary>EHLO: identifies the client and lists the extensions (SIZE, 8BITMIME, PIPELINING, STARTTLS).</summary>
internal sealed class EhloCommand(string domain) : SmtpCommand
{
    public override SmtpVerb Verb => SmtpVerb.Ehlo;

    public override ValueTask<SmtpCommandOutcome> ExecuteAsync(SmtpSession session, CancellationToken cancellationToken)
    {
        session.Identify(domain, extended: true);
        var options = session.Options;
        var lines = new List<string>
        {
            $"{options.Hostname} Hello {domain}",
            string.Create(CultureInfo.InvariantCulture, $"SIZE {options.MaxMessageBytes}"), // RFC 1870
            "8BITMIME", // RFC 6152
            "PIPELINING", // RFC 2920
            "ENHANCEDSTATUSCODES", // RFC 2034
        };
        if (options.Certificate is not null && !session.IsSecure)
        {
            lines.Add("STARTTLS"); // RFC 3207
        }

        return ValueTask.FromResult(SmtpCommandOutcome.Success(new SmtpReply(250, lines)));
    }
}

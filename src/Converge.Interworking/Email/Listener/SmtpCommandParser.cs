using System.Globalization;
using System.Text;

namespace Converge.Interworking.Email;

/// <summary>Turns a command line (without its CRLF) into a command, or the reply that refuses it.</summary>
internal static class SmtpCommandParser
{
    public static bool TryParse(ReadOnlySpan<byte> line, out SmtpCommand? command, out SmtpReply? error)
    {
        command = null;
        error = null;
        var text = Encoding.Latin1.GetString(line);
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var verb = (space < 0 ? text : text[..space]).ToUpperInvariant();
        var argument = space < 0 ? string.Empty : text[(space + 1)..].Trim();
        switch (verb)
        {
            case "EHLO" or "HELO":
                var domain = argument.Split(' ', 2)[0];
                if (domain.Length == 0 || !Ascii.IsValid(domain))
                {
                    error = SmtpReplies.Syntax($"{verb} needs a domain or address literal");
                    return false;
                }

                command = verb == "EHLO" ? new EhloCommand(domain) : new HeloCommand(domain);
                return true;
            case "MAIL":
                return TryParseMail(argument, out command, out error);
            case "RCPT":
                return TryParseRcpt(argument, out command, out error);
            case "DATA":
                return NoArgument(argument, new DataCommand(), out command, out error);
            case "RSET":
                return NoArgument(argument, new RsetCommand(), out command, out error);
            case "QUIT":
                return NoArgument(argument, new QuitCommand(), out command, out error);
            case "STARTTLS":
                return NoArgument(argument, new StartTlsCommand(), out command, out error);
            case "NOOP":
                command = new NoopCommand(); // NOOP may carry a string, which is ignored (RFC 5321 §4.1.1.9)
                return true;
            case "VRFY":
                if (argument.Length == 0)
                {
                    error = SmtpReplies.Syntax("VRFY needs a user or mailbox");
                    return false;
                }

                command = new VrfyCommand();
                return true;
            case "EXPN" or "HELP" or "TURN" or "ETRN" or "AUTH" or "BDAT" or "ATRN" or "SEND" or "SOML" or "SAML":
                error = SmtpReplies.NotImplemented;
                return false;
            default:
                error = SmtpReplies.Unrecognized;
                return false;
        }
    }

    private static bool NoArgument(string argument, SmtpCommand parsed, out SmtpCommand? command, out SmtpReply? error)
    {
        command = null;
        error = null;
        if (argument.Length > 0)
        {
            error = SmtpReplies.Syntax("no parameters allowed");
            return false;
        }

        command = parsed;
        return true;
    }

    private static bool TryParseMail(string argument, out SmtpCommand? command, out SmtpReply? error)
    {
        command = null;
        if (!TryStripKeyword(argument, "FROM:", out var rest))
        {
            error = SmtpReplies.Syntax("expected MAIL FROM:<address>");
            return false;
        }

        if (!MailboxPath.TryParse(rest, isSender: true, out var address, out var parameters, out var problem))
        {
            error = SmtpReplies.BadAddress("5.1.7", $"Bad sender address syntax: {problem}");
            return false;
        }

        long? size = null;
        var eightBit = false;
        foreach (var parameter in parameters.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            var keyword = (equals < 0 ? parameter : parameter[..equals]).ToUpperInvariant();
            var value = equals < 0 ? string.Empty : parameter[(equals + 1)..];
            switch (keyword)
            {
                case "SIZE":
                    if (value.Length is 0 or > 20 || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var declared))
                    {
                        error = SmtpReplies.Syntax("SIZE must be a number of bytes");
                        return false;
                    }

                    size = declared;
                    break;
                case "BODY":
                    switch (value.ToUpperInvariant())
                    {
                        case "7BIT":
                            eightBit = false;
                            break;
                        case "8BITMIME":
                            eightBit = true;
                            break;
                        default:
                            error = SmtpReplies.ParameterNotRecognized; // BINARYMIME needs CHUNKING, not offered
                            return false;
                    }

                    break;
                default:
                    error = SmtpReplies.ParameterNotRecognized;
                    return false;
            }
        }

        error = null;
        command = new MailCommand(address, size, eightBit);
        return true;
    }

    private static bool TryParseRcpt(string argument, out SmtpCommand? command, out SmtpReply? error)
    {
        command = null;
        if (!TryStripKeyword(argument, "TO:", out var rest))
        {
            error = SmtpReplies.Syntax("expected RCPT TO:<address>");
            return false;
        }

        if (!MailboxPath.TryParse(rest, isSender: false, out var address, out var parameters, out var problem))
        {
            error = SmtpReplies.BadAddress("5.1.3", $"Bad recipient address syntax: {problem}");
            return false;
        }

        if (parameters.Length > 0)
        {
            error = SmtpReplies.ParameterNotRecognized; // no RCPT extension (DSN, ORCPT) is offered
            return false;
        }

        error = null;
        command = new RcptCommand(address);
        return true;
    }

    // "FROM:" / "TO:", case-insensitive; a space after the colon is tolerated as most servers do.
    private static bool TryStripKeyword(string argument, string keyword, out string rest)
    {
        rest = string.Empty;
        if (!argument.StartsWith(keyword, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        rest = argument[keyword.Length..].TrimStart();
        return rest.Length > 0;
    }
}

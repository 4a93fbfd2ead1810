namespace Converge.Interworking.Email;

/// <summary>
/// The path of MAIL FROM and RCPT TO (RFC 5321 §4.1.2): <c>&lt;local@domain&gt;</c>, the null path
/// <c>&lt;&gt;</c>, an ignored source route, and (lenient, like most servers) a path without angle brackets.
/// ASCII only: SMTPUTF8 is not offered.
/// </summary>
internal static class MailboxPath
{
    private const int MaxPath = 256; // RFC 5321 §4.5.3.1.3
    private const int MaxLocalPart = 64;
    private const int MaxDomain = 255;

    /// <summary>Splits <c>&lt;path&gt; PARAM=VALUE ...</c>; false with a reason when the path is not well formed.</summary>
    public static bool TryParse(string argument, bool isSender, out string address, out string parameters, out string error)
    {
        address = string.Empty;
        parameters = string.Empty;
        error = string.Empty;
        var text = argument.TrimStart();
        string path;
        if (text.StartsWith('<'))
        {
            var close = FindClose(text);
            if (close < 0)
            {
                error = "unterminated path";
                return false;
            }

            path = text[1..close];
            parameters = text[(close + 1)..].Trim();
        }
        else
        {
            var space = text.IndexOf(' ', StringComparison.Ordinal);
            path = space < 0 ? text : text[..space];
            parameters = space < 0 ? string.Empty : text[(space + 1)..].Trim();
        }

        if (path.Length > MaxPath)
        {
            error = "path too long";
            return false;
        }

        if (path.StartsWith('@'))
        {
            var colon = path.IndexOf(':', StringComparison.Ordinal);
            path = colon < 0 ? path : path[(colon + 1)..]; // source route, ignored (RFC 5321 §4.1.1.3)
        }

        if (path.Length == 0)
        {
            if (isSender)
            {
                return true; // the null reverse-path of bounces
            }

            error = "empty recipient";
            return false;
        }

        if (!System.Text.Ascii.IsValid(path))
        {
            error = "non-ASCII address (SMTPUTF8 is not supported)";
            return false;
        }

        if (!isSender && string.Equals(path, "postmaster", StringComparison.OrdinalIgnoreCase))
        {
            address = "postmaster"; // RFC 5321 §4.5.1: <Postmaster> without a domain must be accepted
            return true;
        }

        var at = path.LastIndexOf('@');
        if (at <= 0 || at == path.Length - 1)
        {
            error = "address must be local@domain";
            return false;
        }

        var local = path[..at];
        var domain = path[(at + 1)..];
        if (local.Length > MaxLocalPart || domain.Length > MaxDomain || !IsLocalPart(local) || !IsDomain(domain))
        {
            error = "invalid address";
            return false;
        }

        address = path;
        return true;
    }

    private static int FindClose(string text)
    {
        var quoted = false;
        for (var i = 1; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\\' when quoted:
                    i++;
                    break;
                case '"':
                    quoted = !quoted;
                    break;
                case '>' when !quoted:
                    return i;
            }
        }

        return -1;
    }

    private static bool IsLocalPart(string local)
    {
        if (local.Length >= 2 && local[0] == '"' && local[^1] == '"')
        {
            return local.All(c => c is >= ' ' and <= '~');
        }

        return !local.StartsWith('.') && !local.EndsWith('.') && !local.Contains("..", StringComparison.Ordinal)
            && local.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~.".Contains(c, StringComparison.Ordinal));
    }

    private static bool IsDomain(string domain)
    {
        if (domain.StartsWith('[') && domain.EndsWith(']'))
        {
            return domain.Length > 2 && domain.All(c => c is >= '!' and <= '~');
        }

        var labels = domain.Split('.');
        return labels.All(l => l.Length is > 0 and <= 63 && !l.StartsWith('-') && !l.EndsWith('-')
            && l.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));
    }
}

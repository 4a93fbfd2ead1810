using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Converge.Core.Addressing;

/// <summary>
/// Email addresses written as JIDs in the sender's own domain (DESIGN.md): the address is the
/// XEP-0106-escaped localpart, so peter@mail.example is peter\40mail.example@a.example.
/// Only a routable mail address counts: exactly one '@' and a domain of at least two labels, so an
/// escaped name whose "domain" has no dot (an SMS sender name shown as mybank\40sms) is never mail.
/// </summary>
public static class EscapedEmail
{
    private const int MaxLocalPart = 64; // RFC 5321 §4.5.3.1.1
    private const int MaxDomain = 253;
    private const int MaxLabel = 63;

    private static readonly (char Char, string Escape)[] Escapes =
    [
        ('\\', "\\5c"), (' ', "\\20"), ('"', "\\22"), ('&', "\\26"), ('\'', "\\27"), ('/', "\\2f"), (':', "\\3a"), ('<', "\\3c"), ('>', "\\3e"), ('@', "\\40"),
    ];

    /// <summary>The email address a localpart stands for, or null when it is not an escaped address.</summary>
    public static string? FromLocalpart(string? localpart)
    {
        if (localpart is null || !localpart.Contains("\\40", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var sb = new StringBuilder(localpart.Length);
        for (var i = 0; i < localpart.Length; i++)
        {
            if (localpart[i] == '\\' && i + 2 < localpart.Length)
            {
                var code = localpart.Substring(i, 3);
                var match = Array.FindIndex(Escapes, e => e.Escape.Equals(code, StringComparison.OrdinalIgnoreCase));
                if (match >= 0)
                {
                    sb.Append(Escapes[match].Char);
                    i += 2;
                    continue;
                }
            }

            sb.Append(localpart[i]);
        }

        var address = sb.ToString();
        return IsRoutableAddress(address) ? address : null;
    }

    /// <summary>
    /// Whether <paramref name="address"/> is local@domain with exactly one '@', a local part of 1 to 64
    /// characters without whitespace or control characters, and a domain name of at least two labels
    /// (letters, digits, '-' inside a label; 1 to 63 characters each, 253 in all) whose top label is not
    /// all digits. Address literals ("x@[10.0.0.5]"), dotted IP addresses ("x@127.0.0.1") and single-label
    /// domains ("alice@localhost", "mybank@sms") are no mail address anyone can be written to.
    /// </summary>
    public static bool IsRoutableAddress([NotNullWhen(true)] string? address)
    {
        if (address is null)
        {
            return false;
        }

        var at = address.IndexOf('@', StringComparison.Ordinal);
        if (at is <= 0 or > MaxLocalPart || address.IndexOf('@', at + 1) >= 0)
        {
            return false;
        }

        foreach (var c in address.AsSpan(0, at))
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return false;
            }
        }

        var domain = address.AsSpan(at + 1);
        if (domain.Length is 0 or > MaxDomain || domain.IndexOf('.') < 0)
        {
            return false;
        }

        var labels = domain.ToString().Split('.');
        foreach (var label in labels)
        {
            if (label.Length is 0 or > MaxLabel || label[0] == '-' || label[^1] == '-' || !label.All(c => char.IsLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }

        // An all-numeric top label is an IPv4 address ("127.0.0.1", "10.0.0.5"), never a domain
        // (RFC 3696 §2): mail to it would make the server connect to whatever address it names.
        return !labels[^1].All(char.IsDigit);
    }

    /// <summary>The JID localpart for an email address (XEP-0106 escaping).</summary>
    public static string ToLocalpart(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var sb = new StringBuilder(address.Length + 8);
        foreach (var c in address.ToLowerInvariant())
        {
            var match = Array.FindIndex(Escapes, e => e.Char == c);
            sb.Append(match >= 0 ? Escapes[match].Escape : c.ToString());
        }

        return sb.ToString();
    }
}

using System.Text;

namespace Converge.Core.Addressing;

/// <summary>
/// Email addresses written as JIDs in the sender's own domain (DESIGN.md): the address is the
/// XEP-0106-escaped localpart, so peter@mail.example is peter\40mail.example@a.example.
/// </summary>
public static class EscapedEmail
{
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
        var at = address.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at < address.Length - 1 && address.IndexOf('@', at + 1) < 0 ? address : null;
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

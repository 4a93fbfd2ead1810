using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Converge.Core.Addressing;

/// <summary>
/// An alphanumeric SMS sender ("MyBank", a short code) as a JID localpart: <c>mybank\40sms</c>, which
/// reads "mybank@sms" and can be no account (accounts refuse '\') and no mail address ("sms" has no
/// dot, see <see cref="EscapedEmail"/>). One rule for the SMPP door that makes such localparts and
/// the router's legacy door that accepts only them.
/// </summary>
public static class SmsSenderName
{
    /// <summary>The domain-like suffix that marks a name sender: "MyBank" becomes mybank\40sms.</summary>
    public const string Suffix = "\\40sms";

    /// <summary>Operators allow alphanumeric senders of up to 11 characters (3GPP TS 23.040 §9.1.2.5).</summary>
    public const int MaxLength = 11;

    /// <summary>1 to 11 ASCII letters or digits, single inner spaces and . - _ &amp;, at least one letter or digit.</summary>
    public static bool IsName(string name) =>
        name.Length is > 0 and <= MaxLength
        && name[0] != ' ' && name[^1] != ' ' && !name.Contains("  ", StringComparison.Ordinal)
        && name.Any(char.IsAsciiLetterOrDigit)
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '.' or '-' or '_' or '&');

    /// <summary>The localpart for a name that <see cref="IsName"/> accepts.</summary>
    public static string ToLocalpart(string name)
    {
        // JIDs fold case; XEP-0106 escapes the two characters of the set a localpart cannot hold.
        var sb = new StringBuilder(name.Length + 4 + Suffix.Length);
        foreach (var c in name)
        {
            sb.Append(c switch
            {
                ' ' => "\\20",
                '&' => "\\26",
                _ => char.ToLowerInvariant(c).ToString(),
            });
        }

        return sb.Append(Suffix).ToString();
    }

    /// <summary>Whether a localpart is exactly what <see cref="ToLocalpart"/> makes of some valid name.</summary>
    public static bool IsLocalpart([NotNullWhen(true)] string? localpart)
    {
        if (localpart is null || !localpart.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return false;
        }

        var escaped = localpart[..^Suffix.Length];
        var name = escaped.Replace("\\20", " ", StringComparison.Ordinal).Replace("\\26", "&", StringComparison.Ordinal);
        return IsName(name) && ToLocalpart(name) == localpart;
    }
}

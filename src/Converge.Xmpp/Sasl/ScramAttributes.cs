using System.Buffers.Text;

namespace Converge.Xmpp.Sasl;

/// <summary>Lexical rules shared by the SCRAM client messages (RFC 5802 §7).</summary>
internal static class ScramAttributes
{
    /// <summary>An extension attribute: one ASCII letter, '=', and a value without ','.</summary>
    public static bool IsExtension(string attribute) =>
        attribute.Length >= 2 && char.IsAsciiLetter(attribute[0]) && attribute[1] == '=';

    /// <summary>printable = %x21-2B / %x2D-7E, at least one.</summary>
    public static bool IsNonce(ReadOnlySpan<char> value) =>
        !value.IsEmpty && !value.ContainsAnyExceptInRange('\x21', '\x7e') && !value.Contains(',');

    /// <summary>cb-name = 1*(ALPHA / DIGIT / "." / "-").</summary>
    public static bool IsChannelBindingName(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '.' and not '-')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The decoded bytes, or null when <paramref name="value"/> is not base64.</summary>
    public static byte[]? FromBase64(string value) =>
        Base64.IsValid(value) ? Convert.FromBase64String(value) : null;
}

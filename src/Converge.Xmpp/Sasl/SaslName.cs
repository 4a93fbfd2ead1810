using System.Text;

namespace Converge.Xmpp.Sasl;

/// <summary>The saslname encoding of RFC 5802 §5.1: ',' travels as "=2C" and '=' as "=3D".</summary>
internal static class SaslName
{
    /// <summary>The decoded name, or null when it is empty or holds any other '=' sequence.</summary>
    public static string? Decode(ReadOnlySpan<char> encoded)
    {
        if (encoded.IsEmpty)
        {
            return null;
        }

        if (!encoded.Contains('='))
        {
            return encoded.ToString();
        }

        var result = new StringBuilder(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            if (encoded[i] != '=')
            {
                result.Append(encoded[i]);
            }
            else if (encoded[(i + 1)..].StartsWith("2C", StringComparison.Ordinal))
            {
                result.Append(',');
                i += 2;
            }
            else if (encoded[(i + 1)..].StartsWith("3D", StringComparison.Ordinal))
            {
                result.Append('=');
                i += 2;
            }
            else
            {
                return null; // RFC 5802 §5.1: the server MUST fail on any other escape
            }
        }

        return result.ToString();
    }

    public static string Encode(string name) =>
        name.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal);
}

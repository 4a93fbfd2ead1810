namespace Converge.Xmpp.Sasl;

/// <summary>A parsed client-first-message: gs2-header client-first-message-bare (RFC 5802 §7).</summary>
internal sealed record ScramClientFirstMessage(
    string Gs2Header,
    ChannelBindingFlag Flag,
    string? ChannelBindingType,
    string? AuthorizationId,
    string Bare,
    string Username,
    string ClientNonce)
{
    /// <summary>Parses <paramref name="text"/>; on null, <paramref name="error"/> says what is wrong.</summary>
    public static ScramClientFirstMessage? Parse(string text, out string? error)
    {
        error = null;
        int position;
        ChannelBindingFlag flag;
        string? cbType = null;
        if (text.StartsWith("n,", StringComparison.Ordinal))
        {
            (flag, position) = (ChannelBindingFlag.NotSupported, 2);
        }
        else if (text.StartsWith("y,", StringComparison.Ordinal))
        {
            (flag, position) = (ChannelBindingFlag.ClientSupports, 2);
        }
        else if (text.StartsWith("p=", StringComparison.Ordinal) && text.IndexOf(',', 2) is var end and > 2
            && ScramAttributes.IsChannelBindingName(text.AsSpan(2, end - 2)))
        {
            (flag, cbType, position) = (ChannelBindingFlag.Required, text[2..end], end + 1);
        }
        else
        {
            error = "invalid GS2 header";
            return null;
        }

        string? authzid = null;
        if (text.AsSpan(position).StartsWith("a=", StringComparison.Ordinal) && text.IndexOf(',', position) is var authzEnd and > 0)
        {
            authzid = SaslName.Decode(text.AsSpan(position + 2, authzEnd - position - 2));
            if (authzid is null)
            {
                error = "invalid authzid";
                return null;
            }

            position = authzEnd + 1;
        }
        else if (position < text.Length && text[position] == ',')
        {
            position++;
        }
        else
        {
            error = "invalid GS2 header";
            return null;
        }

        var bare = text[position..];
        var attributes = bare.Split(',');
        if (attributes[0].StartsWith("m=", StringComparison.Ordinal))
        {
            error = "mandatory extension not supported";
            return null;
        }

        if (!attributes[0].StartsWith("n=", StringComparison.Ordinal))
        {
            error = "username expected";
            return null;
        }

        var username = SaslName.Decode(attributes[0].AsSpan(2));
        if (username is null)
        {
            error = "invalid username encoding";
            return null;
        }

        if (attributes.Length < 2 || !attributes[1].StartsWith("r=", StringComparison.Ordinal)
            || !ScramAttributes.IsNonce(attributes[1].AsSpan(2)))
        {
            error = "nonce expected";
            return null;
        }

        if (!attributes.Skip(2).All(ScramAttributes.IsExtension))
        {
            error = "invalid attribute";
            return null;
        }

        return new ScramClientFirstMessage(text[..position], flag, cbType, authzid, bare, username, attributes[1][2..]);
    }
}

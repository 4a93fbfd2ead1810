namespace Converge.Xmpp.Sasl;

/// <summary>
/// A parsed client-final-message: c=channel-binding,r=nonce[,extensions],p=proof (RFC 5802 §7).
/// <see cref="WithoutProof"/> is the text that enters the AuthMessage.
/// </summary>
internal sealed record ScramClientFinalMessage(string WithoutProof, byte[] ChannelBindingInput, string Nonce, byte[] Proof)
{
    /// <summary>Parses <paramref name="text"/>; on null, <paramref name="error"/> says what is wrong.</summary>
    public static ScramClientFinalMessage? Parse(string text, out string? error)
    {
        error = null;
        var proofAt = text.LastIndexOf(",p=", StringComparison.Ordinal);
        if (proofAt < 0)
        {
            error = "proof expected";
            return null;
        }

        var withoutProof = text[..proofAt];
        var proof = ScramAttributes.FromBase64(text[(proofAt + 3)..]);
        if (proof is null or { Length: 0 })
        {
            error = "invalid proof";
            return null;
        }

        var attributes = withoutProof.Split(',');
        if (!attributes[0].StartsWith("c=", StringComparison.Ordinal)
            || ScramAttributes.FromBase64(attributes[0][2..]) is not { Length: > 0 } cbindInput)
        {
            error = "channel binding expected";
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

        return new ScramClientFinalMessage(withoutProof, cbindInput, attributes[1][2..], proof);
    }
}

using System.Security.Cryptography;
using System.Text;

namespace Converge.Xmpp.Federation;

/// <summary>
/// Dialback keys as XEP-0185 recommends: HMAC-SHA256 keyed with SHA256(secret), over
/// "receiving originating streamid", hex encoded. Like Prosody, the hex form of SHA256(secret)
/// is the HMAC key. Only we can make a key, so answering &lt;db:verify/&gt; needs no state.
/// </summary>
internal sealed class DialbackKeys
{
    private readonly byte[] _hmacKey;

    public DialbackKeys(string? secret)
    {
        var secretBytes = secret is null ? RandomNumberGenerator.GetBytes(32) : Encoding.UTF8.GetBytes(secret);
        _hmacKey = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(SHA256.HashData(secretBytes)));
    }

    public string Generate(string receivingDomain, string originatingDomain, string streamId)
    {
        var data = Encoding.UTF8.GetBytes(receivingDomain + " " + originatingDomain + " " + streamId);
        return Convert.ToHexStringLower(HMACSHA256.HashData(_hmacKey, data));
    }

    /// <summary>Constant-time check of a key a receiving server asks us about.</summary>
    public bool Verify(string receivingDomain, string originatingDomain, string streamId, string key)
    {
        var expected = Encoding.ASCII.GetBytes(Generate(receivingDomain, originatingDomain, streamId));
        var given = Encoding.UTF8.GetBytes(key.Trim());
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}

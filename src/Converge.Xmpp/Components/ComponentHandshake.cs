using System.Security.Cryptography;
using System.Text;

namespace Converge.Xmpp.Components;

/// <summary>
/// The XEP-0114 handshake: the component proves the secret by sending the lower-case hex SHA-1 of
/// the stream id the server chose followed by the secret. Compared in constant time, so the time an
/// answer takes says nothing about how much of a guess was right.
/// </summary>
internal static class ComponentHandshake
{
    public static string Expected(string streamId, string secret) =>
        Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(streamId + secret)));

    public static bool Matches(string streamId, string secret, string received)
    {
        var expected = Encoding.ASCII.GetBytes(Expected(streamId, secret));
        var given = Encoding.UTF8.GetBytes(received.Trim().ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}

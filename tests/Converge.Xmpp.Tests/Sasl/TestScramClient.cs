using System.Security.Cryptography;
using System.Text;
using Converge.Xmpp.Sasl;

namespace Converge.Xmpp.Tests.Sasl;

/// <summary>
/// A small SCRAM client (RFC 5802 §3) written independently of the server, so the two check each other.
/// The GS2 header and the channel binding data it sends can be set freely to play a broken or hostile client.
/// </summary>
internal sealed class TestScramClient(string hash, string username, string password)
{
    private readonly string _clientNonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
    private string? _clientFirstBare;
    private byte[]? _serverSignature;

    /// <summary>"n,,", "y,,", "p=tls-server-end-point,," and so on.</summary>
    public string Gs2Header { get; init; } = "n,,";

    /// <summary>Channel binding data appended to the GS2 header in c=.</summary>
    public byte[] ChannelBindingData { get; init; } = [];

    public byte[] ClientFirst()
    {
        _clientFirstBare = $"n={username.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal)},r={_clientNonce}";
        return Encoding.UTF8.GetBytes(Gs2Header + _clientFirstBare);
    }

    public byte[] ClientFinal(byte[] serverFirstBytes)
    {
        var serverFirst = Encoding.UTF8.GetString(serverFirstBytes);
        var attributes = serverFirst.Split(',').ToDictionary(a => a[0], a => a[2..]);
        Assert.StartsWith(_clientNonce, attributes['r'], StringComparison.Ordinal);

        var algorithm = hash == "SHA-1" ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
        var length = hash == "SHA-1" ? 20 : 32;
        var saltedPassword = Rfc2898DeriveBytes.Pbkdf2(
            Encoding.UTF8.GetBytes(password), Convert.FromBase64String(attributes['s']), int.Parse(attributes['i'], System.Globalization.CultureInfo.InvariantCulture), algorithm, length);
        var clientKey = Hmac(saltedPassword, "Client Key");
        var storedKey = hash == "SHA-1" ? SHA1.HashData(clientKey) : SHA256.HashData(clientKey);

        var channelBinding = Convert.ToBase64String([.. Encoding.UTF8.GetBytes(Gs2Header), .. ChannelBindingData]);
        var withoutProof = $"c={channelBinding},r={attributes['r']}";
        var authMessage = $"{_clientFirstBare},{serverFirst},{withoutProof}";
        var clientSignature = Hmac(storedKey, authMessage);
        var proof = clientKey.Zip(clientSignature, (k, s) => (byte)(k ^ s)).ToArray();
        _serverSignature = Hmac(Hmac(saltedPassword, "Server Key"), authMessage);
        return Encoding.UTF8.GetBytes($"{withoutProof},p={Convert.ToBase64String(proof)}");
    }

    /// <summary>Whether the server's v= proves it knew the ServerKey.</summary>
    public bool VerifyServerFinal(byte[] serverFinal) =>
        Encoding.UTF8.GetString(serverFinal) == "v=" + Convert.ToBase64String(_serverSignature!);

    private byte[] Hmac(byte[] key, string data) =>
        hash == "SHA-1" ? HMACSHA1.HashData(key, Encoding.UTF8.GetBytes(data)) : HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
}

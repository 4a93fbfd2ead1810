using System.Text;
using Converge.Core.Accounts;

namespace Converge.Xmpp.Sasl;

/// <summary>
/// The server side of PLAIN (RFC 4616): one message, [authzid] NUL authcid NUL passwd, checked against
/// the stored SCRAM credential (SHA-256, else SHA-1). Offer it only over TLS.
/// </summary>
public sealed class PlainServer : ISaslServer
{
    /// <summary>Longest authzid, authcid and passwd accepted, in bytes each (RFC 4616 asks for at least 255).</summary>
    public const int MaxFieldBytes = 1023;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Func<string, string, ScramCredential?> _lookup;
    private bool _askedForResponse;
    private bool _done;

    /// <param name="lookup">The credential of (username, hash), or null when there is none.</param>
    public PlainServer(Func<string, string, ScramCredential?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        _lookup = lookup;
    }

    public string Mechanism => "PLAIN";

    public string? Username { get; private set; }

    public string? AuthorizationId { get; private set; }

    public SaslStep Evaluate(ReadOnlySpan<byte> clientMessage)
    {
        if (_done)
        {
            return SaslStep.Failure(SaslFailureConditions.MalformedRequest, "The exchange is already complete.");
        }

        // An <auth/> without initial response gets one empty challenge (RFC 6120 §6.4.2).
        if (clientMessage.IsEmpty && !_askedForResponse)
        {
            _askedForResponse = true;
            return SaslStep.Challenge([]);
        }

        _done = true;
        return Authenticate(clientMessage);
    }

    private SaslStep Authenticate(ReadOnlySpan<byte> message)
    {
        var first = message.IndexOf((byte)0);
        var second = first < 0 ? -1 : message[(first + 1)..].IndexOf((byte)0);
        if (second < 0)
        {
            return Malformed("Expected [authzid] NUL authcid NUL passwd.");
        }

        second += first + 1;
        var authzid = message[..first];
        var authcid = message[(first + 1)..second];
        var passwd = message[(second + 1)..];
        if (authcid.IsEmpty || passwd.IsEmpty || passwd.Contains((byte)0))
        {
            return Malformed("Expected [authzid] NUL authcid NUL passwd.");
        }

        if (authzid.Length > MaxFieldBytes || authcid.Length > MaxFieldBytes || passwd.Length > MaxFieldBytes)
        {
            return Malformed("A field is too long.");
        }

        if (Decode(authzid) is not { } authzidText || Decode(authcid) is not { } username || Decode(passwd) is not { } password)
        {
            return Malformed("A field is not UTF-8.");
        }

        Username = username;
        AuthorizationId = authzidText.Length == 0 ? null : authzidText;

        var credential = _lookup(username, ScramHash.Sha256.Name) ?? _lookup(username, ScramHash.Sha1.Name);

        // An unknown user costs the same PBKDF2 run as a known one, so timing does not tell them apart.
        var verified = ScramCredentials.VerifyPassword(credential ?? UnknownUserCredential.For(ScramHash.Sha256, username), password);
        return verified && credential is not null ? SaslStep.Success(null) : SaslStep.Failure(SaslFailureConditions.NotAuthorized);
    }

    /// <summary>
    /// The authcid a PLAIN message names, read without checking anything else, so the login throttle can
    /// be consulted for that account before the password is tried. Null when the message has none.
    /// </summary>
    public static string? ClaimedUsername(ReadOnlySpan<byte> message)
    {
        var first = message.IndexOf((byte)0);
        if (first < 0)
        {
            return null;
        }

        var rest = message[(first + 1)..];
        var second = rest.IndexOf((byte)0);
        return second <= 0 || second > MaxFieldBytes ? null : Decode(rest[..second]);
    }

    private static string? Decode(ReadOnlySpan<byte> field)
    {
        try
        {
            return StrictUtf8.GetString(field);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static SaslStep Malformed(string reason) => SaslStep.Failure(SaslFailureConditions.MalformedRequest, reason);
}

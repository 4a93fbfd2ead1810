using System.Security.Cryptography;
using System.Text;
using Converge.Core.Accounts;

namespace Converge.Xmpp.Sasl;

/// <summary>
/// The server side of SCRAM-SHA-1, SCRAM-SHA-256 and their -PLUS variants (RFC 5802, RFC 7677):
/// client-first → server-first challenge → client-final → success with "v=ServerSignature".
/// </summary>
/// <remarks>
/// Every way to get the password wrong, including a user that does not exist, fails with
/// not-authorized after the client-final message, so the exchange does not reveal which accounts exist.
/// </remarks>
public sealed class ScramServer : ISaslServer
{
    private const int ServerNonceBytes = 24;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ScramHash _hash;
    private readonly bool _plus;
    private readonly Func<string, string, ScramCredential?> _lookup;
    private readonly ChannelBinding? _binding;

    private State _state = State.Initial;
    private ScramClientFirstMessage? _clientFirst;
    private ScramCredential? _credential;
    private bool _userKnown;
    private string? _nonce;
    private string? _serverFirst;

    /// <param name="hash">"SHA-1" or "SHA-256".</param>
    /// <param name="plus">Whether this is the -PLUS mechanism, which requires channel binding.</param>
    /// <param name="lookup">The credential of (username, hash), or null when there is none.</param>
    /// <param name="binding">
    /// The channel binding of the connection, required with <paramref name="plus"/>. On a non-PLUS
    /// mechanism its presence means the server offers PLUS too (see <see cref="PlusOffered"/>).
    /// </param>
    public ScramServer(string hash, bool plus, Func<string, string, ScramCredential?> lookup, ChannelBinding? binding)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        _hash = ScramHash.Find(hash) ?? throw new ArgumentException($"Unsupported SCRAM hash '{hash}'.", nameof(hash));
        if (plus && binding is null)
        {
            throw new ArgumentException("A -PLUS mechanism needs the connection's channel binding.", nameof(binding));
        }

        _plus = plus;
        _lookup = lookup;
        _binding = binding;
        PlusOffered = binding is not null;
        Mechanism = $"SCRAM-{_hash.Name}{(plus ? "-PLUS" : "")}";
    }

    private enum State
    {
        Initial,
        AwaitingClientFirst,
        AwaitingClientFinal,
        Done,
    }

    public string Mechanism { get; }

    public string? Username { get; private set; }

    public string? AuthorizationId { get; private set; }

    /// <summary>
    /// Whether the server offered a -PLUS mechanism on this connection. A client that supports channel
    /// binding then says "y" only if somebody removed PLUS from the offer on the way: that downgrade fails.
    /// Defaults to whether a channel binding was given.
    /// </summary>
    public bool PlusOffered { get; init; }

    /// <summary>Fixes the random part of the server nonce, for the RFC test vectors.</summary>
    internal string? ServerNonceSuffix { get; init; }

    public SaslStep Evaluate(ReadOnlySpan<byte> clientMessage)
    {
        var step = _state switch
        {
            State.Initial when clientMessage.IsEmpty => AskForClientFirst(),
            State.Initial or State.AwaitingClientFirst => OnClientFirst(clientMessage),
            State.AwaitingClientFinal => OnClientFinal(clientMessage),
            _ => SaslStep.Failure(SaslFailureConditions.MalformedRequest, "The exchange is already complete."),
        };
        if (step.Outcome != SaslOutcome.Challenge)
        {
            _state = State.Done;
        }

        return step;
    }

    // SCRAM is client-first; an <auth/> without initial response gets an empty challenge (RFC 6120 §6.4.2).
    private SaslStep AskForClientFirst()
    {
        _state = State.AwaitingClientFirst;
        return SaslStep.Challenge([]);
    }

    private SaslStep OnClientFirst(ReadOnlySpan<byte> message)
    {
        if (Decode(message) is not { } text)
        {
            return Malformed("The message is not UTF-8.");
        }

        if (ScramClientFirstMessage.Parse(text, out var error) is not { } clientFirst)
        {
            return Malformed(error);
        }

        if (CheckChannelBindingChoice(clientFirst) is { } refusal)
        {
            return refusal;
        }

        _clientFirst = clientFirst;
        Username = clientFirst.Username;
        AuthorizationId = clientFirst.AuthorizationId;

        var credential = _lookup(clientFirst.Username, _hash.Name);
        _userKnown = credential is not null && IsUsable(credential);
        _credential = _userKnown ? credential : UnknownUserCredential.For(_hash, clientFirst.Username);

        _nonce = clientFirst.ClientNonce + (ServerNonceSuffix ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(ServerNonceBytes)));
        _serverFirst = $"r={_nonce},s={Convert.ToBase64String(_credential!.Salt)},i={_credential.Iterations}";
        _state = State.AwaitingClientFinal;
        return SaslStep.Challenge(Encoding.UTF8.GetBytes(_serverFirst));
    }

    // RFC 5802 §6: which GS2 channel binding flags each mechanism accepts.
    private SaslStep? CheckChannelBindingChoice(ScramClientFirstMessage clientFirst)
    {
        if (!_plus)
        {
            return clientFirst.Flag switch
            {
                ChannelBindingFlag.Required => Malformed("Channel binding needs a -PLUS mechanism."),
                ChannelBindingFlag.ClientSupports when PlusOffered =>
                    SaslStep.Failure(SaslFailureConditions.NotAuthorized, "server-does-support-channel-binding"),
                _ => null,
            };
        }

        if (clientFirst.Flag != ChannelBindingFlag.Required)
        {
            return Malformed("A -PLUS mechanism needs a channel binding type.");
        }

        return string.Equals(clientFirst.ChannelBindingType, _binding!.Type, StringComparison.Ordinal)
            ? null
            : SaslStep.Failure(SaslFailureConditions.NotAuthorized, "unsupported-channel-binding-type");
    }

    private SaslStep OnClientFinal(ReadOnlySpan<byte> message)
    {
        if (Decode(message) is not { } text)
        {
            return Malformed("The message is not UTF-8.");
        }

        if (ScramClientFinalMessage.Parse(text, out var error) is not { } clientFinal)
        {
            return Malformed(error);
        }

        if (clientFinal.Proof.Length != _hash.Length)
        {
            return Malformed("The proof has the wrong length.");
        }

        var credential = _credential!;
        var authMessage = Encoding.UTF8.GetBytes($"{_clientFirst!.Bare},{_serverFirst},{clientFinal.WithoutProof}");

        // Work through every check even when an earlier one failed: the time taken says nothing.
        var bindingMatches = CryptographicOperations.FixedTimeEquals(clientFinal.ChannelBindingInput, ExpectedChannelBindingInput());
        var nonceMatches = string.Equals(clientFinal.Nonce, _nonce, StringComparison.Ordinal);
        var proofMatches = VerifyProof(credential, authMessage, clientFinal.Proof);

        if (!bindingMatches)
        {
            return SaslStep.Failure(SaslFailureConditions.NotAuthorized, "channel-bindings-dont-match");
        }

        if (!nonceMatches)
        {
            return SaslStep.Failure(SaslFailureConditions.NotAuthorized, "The nonce does not match.");
        }

        if (!proofMatches || !_userKnown)
        {
            return SaslStep.Failure(SaslFailureConditions.NotAuthorized);
        }

        var serverSignature = _hash.Hmac(credential.ServerKey, authMessage);
        return SaslStep.Success(Encoding.UTF8.GetBytes("v=" + Convert.ToBase64String(serverSignature)));
    }

    // cbind-input = gs2-header [cbind-data], the latter only when the client said "p=".
    private byte[] ExpectedChannelBindingInput()
    {
        var header = Encoding.UTF8.GetBytes(_clientFirst!.Gs2Header);
        return _clientFirst.Flag == ChannelBindingFlag.Required ? [.. header, .. _binding!.Data] : header;
    }

    // ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage); it is right when H(ClientKey) == StoredKey.
    private bool VerifyProof(ScramCredential credential, byte[] authMessage, byte[] proof)
    {
        var clientKey = _hash.Hmac(credential.StoredKey, authMessage);
        for (var i = 0; i < clientKey.Length; i++)
        {
            clientKey[i] ^= proof[i];
        }

        var matches = CryptographicOperations.FixedTimeEquals(_hash.Hash(clientKey), credential.StoredKey);
        CryptographicOperations.ZeroMemory(clientKey);
        return matches;
    }

    private bool IsUsable(ScramCredential credential) =>
        string.Equals(credential.Hash, _hash.Name, StringComparison.OrdinalIgnoreCase)
        && credential.Salt.Length > 0 && credential.Iterations >= 1
        && credential.StoredKey.Length == _hash.Length && credential.ServerKey.Length == _hash.Length;

    private static string? Decode(ReadOnlySpan<byte> message)
    {
        try
        {
            var text = StrictUtf8.GetString(message);
            return text.Contains('\0', StringComparison.Ordinal) ? null : text;
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static SaslStep Malformed(string? reason) => SaslStep.Failure(SaslFailureConditions.MalformedRequest, reason);
}

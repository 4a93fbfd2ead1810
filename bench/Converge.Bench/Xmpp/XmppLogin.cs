using System.Security.Cryptography;
using System.Text;

namespace Converge.Bench.Xmpp;

/// <summary>What a login does after authentication.</summary>
internal sealed record LoginRequest(string Domain, string Username, string Password)
{
    /// <summary>Resource to ask for; null lets the server choose (several sessions of one user).</summary>
    public string? Resource { get; init; }

    /// <summary>Fetch the roster and send initial presence, as a real client does at login.</summary>
    public bool RosterAndPresence { get; init; } = true;
}

/// <summary>What the login learned.</summary>
internal sealed record LoginResult(string Mechanism, string BoundJid, byte[] Roster);

/// <summary>
/// RFC 6120 client negotiation as the load generator performs it: stream header, STARTTLS,
/// SASL (SCRAM-SHA-256, else SCRAM-SHA-1, else PLAIN), resource binding, the legacy session
/// when a server requires it, then roster get and initial presence in one write.
/// </summary>
internal static class XmppLogin
{
    private const string SaslNs = "urn:ietf:params:xml:ns:xmpp-sasl";

    public static async Task<LoginResult> RunAsync(
        BenchConnection connection, LoginRequest request, IStanzaHandler? strays, CancellationToken cancellationToken)
    {
        var features = await OpenStreamAsync(connection, request.Domain, cancellationToken).ConfigureAwait(false);
        if (!StanzaBytes.Contains(features, "<starttls"u8))
        {
            throw new LoginException("the server does not offer STARTTLS");
        }

        await connection.SendAsync("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", cancellationToken).ConfigureAwait(false);
        var proceed = await ExpectElementAsync(connection, cancellationToken).ConfigureAwait(false);
        if (!StanzaBytes.IsNamed(proceed, "proceed"u8))
        {
            throw new LoginException("STARTTLS refused: " + Show(proceed));
        }

        await connection.StartTlsAsync(request.Domain, cancellationToken).ConfigureAwait(false);
        features = await OpenStreamAsync(connection, request.Domain, cancellationToken).ConfigureAwait(false);
        var mechanism = await AuthenticateAsync(connection, request, features, cancellationToken).ConfigureAwait(false);

        features = await OpenStreamAsync(connection, request.Domain, cancellationToken).ConfigureAwait(false);
        var resource = request.Resource is null ? "" : $"<resource>{request.Resource}</resource>";
        await connection.SendAsync(
            $"<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>{resource}</bind></iq>", cancellationToken).ConfigureAwait(false);
        var bound = await ResultAsync(connection, "bind1", strays, cancellationToken).ConfigureAwait(false);
        if (!StanzaBytes.TryGetChildText(bound, "jid"u8, out var jid))
        {
            throw new LoginException("bind result without a JID: " + Show(bound));
        }

        connection.BoundJid = Encoding.UTF8.GetString(jid);

        // RFC 3921 sessions: only a server that still marks them mandatory gets one.
        if (StanzaBytes.Contains(features, "urn:ietf:params:xml:ns:xmpp-session"u8) && !StanzaBytes.Contains(features, "<optional"u8))
        {
            await connection.SendAsync("<iq type='set' id='sess1'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>", cancellationToken)
                .ConfigureAwait(false);
            await ResultAsync(connection, "sess1", strays, cancellationToken).ConfigureAwait(false);
        }

        byte[] roster = [];
        if (request.RosterAndPresence)
        {
            await connection.SendAsync("<iq type='get' id='roster1'><query xmlns='jabber:iq:roster'/></iq><presence/>", cancellationToken)
                .ConfigureAwait(false);
            roster = await ResultAsync(connection, "roster1", strays, cancellationToken).ConfigureAwait(false);
            connection.Roster = roster;
        }

        await connection.FlushRepliesAsync(cancellationToken).ConfigureAwait(false);
        return new LoginResult(mechanism, connection.BoundJid, roster);
    }

    private static async Task<string> AuthenticateAsync(
        BenchConnection connection, LoginRequest request, byte[] features, CancellationToken cancellationToken)
    {
        if (Offers(features, "SCRAM-SHA-256"u8))
        {
            await ScramAsync(connection, new ScramClient(HashAlgorithmName.SHA256, request.Username, request.Password), HashAlgorithmName.SHA256, cancellationToken)
                .ConfigureAwait(false);
            return "SCRAM-SHA-256";
        }

        if (Offers(features, "SCRAM-SHA-1"u8))
        {
            await ScramAsync(connection, new ScramClient(HashAlgorithmName.SHA1, request.Username, request.Password), HashAlgorithmName.SHA1, cancellationToken)
                .ConfigureAwait(false);
            return "SCRAM-SHA-1";
        }

        if (!Offers(features, "PLAIN"u8))
        {
            throw new LoginException("no usable SASL mechanism: " + Show(features));
        }

        var plain = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{request.Username}\0{request.Password}"));
        await connection.SendAsync($"<auth xmlns='{SaslNs}' mechanism='PLAIN'>{plain}</auth>", cancellationToken).ConfigureAwait(false);
        var outcome = await ExpectElementAsync(connection, cancellationToken).ConfigureAwait(false);
        return StanzaBytes.IsNamed(outcome, "success"u8) ? "PLAIN" : throw new LoginException("PLAIN failed: " + Show(outcome));
    }

    private static async Task ScramAsync(BenchConnection connection, ScramClient scram, HashAlgorithmName hash, CancellationToken cancellationToken)
    {
        var mechanism = ScramClient.MechanismName(hash);
        await connection.SendAsync(
            $"<auth xmlns='{SaslNs}' mechanism='{mechanism}'>{Convert.ToBase64String(scram.ClientFirst())}</auth>", cancellationToken).ConfigureAwait(false);
        var challenge = await ExpectElementAsync(connection, cancellationToken).ConfigureAwait(false);
        if (!StanzaBytes.IsNamed(challenge, "challenge"u8))
        {
            throw new LoginException(mechanism + " failed: " + Show(challenge));
        }

        var final = scram.ClientFinal(Base64(StanzaBytes.Text(challenge)))
            ?? throw new LoginException("unusable server-first message: " + Show(challenge));
        await connection.SendAsync($"<response xmlns='{SaslNs}'>{Convert.ToBase64String(final)}</response>", cancellationToken).ConfigureAwait(false);
        var outcome = await ExpectElementAsync(connection, cancellationToken).ConfigureAwait(false);
        if (StanzaBytes.IsNamed(outcome, "challenge"u8))
        {
            // Servers that send the server-final message as a challenge want an empty response (RFC 6120 §6.4.6).
            await connection.SendAsync($"<response xmlns='{SaslNs}'/>", cancellationToken).ConfigureAwait(false);
            if (!scram.VerifyServerFinal(Base64(StanzaBytes.Text(outcome))))
            {
                throw new LoginException("the server's SCRAM signature is wrong");
            }

            outcome = await ExpectElementAsync(connection, cancellationToken).ConfigureAwait(false);
        }
        else if (StanzaBytes.IsNamed(outcome, "success"u8) && !scram.VerifyServerFinal(Base64(StanzaBytes.Text(outcome))))
        {
            throw new LoginException("the server's SCRAM signature is wrong");
        }

        if (!StanzaBytes.IsNamed(outcome, "success"u8))
        {
            throw new LoginException(mechanism + " failed: " + Show(outcome));
        }
    }

    private static async Task<byte[]> OpenStreamAsync(BenchConnection connection, string domain, CancellationToken cancellationToken)
    {
        await connection.SendAsync(
            $"<?xml version='1.0'?><stream:stream to='{domain}' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0' xml:lang='en'>",
            cancellationToken).ConfigureAwait(false);
        var (kind, header) = await connection.NextElementAsync(cancellationToken).ConfigureAwait(false);
        if (kind != ElementKind.StreamOpen)
        {
            throw new LoginException("expected the stream header, got " + Show(header));
        }

        var features = await ExpectElementAsync(connection, cancellationToken).ConfigureAwait(false);
        return StanzaBytes.IsNamed(features, "stream:features"u8) ? features : throw new LoginException("expected stream features, got " + Show(features));
    }

    private static async Task<byte[]> ExpectElementAsync(BenchConnection connection, CancellationToken cancellationToken)
    {
        var (kind, bytes) = await connection.NextElementAsync(cancellationToken).ConfigureAwait(false);
        return kind == ElementKind.Element ? bytes : throw new LoginException("the server ended the stream: " + Show(bytes));
    }

    // Waits for the iq result with this id; other stanzas (presence, pushes) go to the scenario's handler.
    private static async Task<byte[]> ResultAsync(BenchConnection connection, string id, IStanzaHandler? strays, CancellationToken cancellationToken)
    {
        var idBytes = Encoding.ASCII.GetBytes(id);
        while (true)
        {
            var element = await ExpectElementAsync(connection, cancellationToken).ConfigureAwait(false);
            if (StanzaBytes.IsNamed(element, "iq"u8) && StanzaBytes.AttributeEquals(element, "id"u8, idBytes))
            {
                return StanzaBytes.AttributeEquals(element, "type"u8, "result"u8)
                    ? element
                    : throw new LoginException("request refused: " + Show(element));
            }

            if (StanzaBytes.IsNamed(element, "stream:error"u8))
            {
                throw new LoginException("stream error: " + Show(element));
            }

            strays?.OnElement(connection, element, System.Diagnostics.Stopwatch.GetTimestamp());
        }
    }

    private static bool Offers(byte[] features, ReadOnlySpan<byte> mechanism)
    {
        ReadOnlySpan<byte> rest = features;
        while (true)
        {
            var at = rest.IndexOf("<mechanism>"u8);
            if (at < 0)
            {
                return false;
            }

            rest = rest[(at + "<mechanism>".Length)..];
            if (rest.StartsWith(mechanism) && rest[mechanism.Length..].StartsWith("</"u8))
            {
                return true;
            }
        }
    }

    private static byte[] Base64(ReadOnlySpan<byte> text) => text.IsEmpty || text.SequenceEqual("="u8)
        ? []
        : Convert.FromBase64String(Encoding.ASCII.GetString(text));

    private static string Show(ReadOnlySpan<byte> element)
    {
        var text = Encoding.UTF8.GetString(element);
        return text.Length > 300 ? text[..300] + "..." : text;
    }
}

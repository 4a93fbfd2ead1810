using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using Converge.Core.Addressing;
using Converge.Xmpp.Sasl;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Transport;
using Converge.Xmpp.Xml;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Client;

/// <summary>
/// One client connection (RFC 6120): stream negotiation - STARTTLS, SASL, resource binding - and
/// then the bound session's read loop, which hands each stanza, in order, to the router.
/// Reads happen only here; writes go straight to the pipe during negotiation and through the
/// session's queue once bound.
/// </summary>
internal sealed partial class ClientConnection
{
    private static readonly SslApplicationProtocol XmppClientAlpn = new("xmpp-client");
    private const int MaxSaslAttempts = 5;

    private readonly ServerContext _server;
    private readonly Stream? _socketStream;
    private readonly bool _directTls;
    private readonly IPAddress? _remoteAddress;
    private readonly ILogger _log;
    private readonly XmppStreamParser _parser;
    private readonly CancellationTokenSource _cts;
    private IClientTransport? _transport;
    private string _streamId = "";
    private bool _headerSent;
    private bool _secure;
    private ChannelBinding? _binding;
    private ISaslServer? _sasl;
    private int _saslFailures;
    private Jid? _user;
    private ClientSession? _session;
    private Transport.AddressConnectionLimit.Lease? _unauthenticated;

    public ClientConnection(ServerContext server, Stream socketStream, EndPoint? remote, bool directTls, CancellationToken serverToken)
    {
        _server = server;
        _socketStream = socketStream;
        _directTls = directTls;
        _remoteAddress = (remote as IPEndPoint)?.Address;
        _log = server.Logger;
        _parser = new XmppStreamParser(server.Options.Xml);
        _cts = CancellationTokenSource.CreateLinkedTokenSource(serverToken);
    }

    /// <summary>
    /// A connection over a transport that is already framed (a WebSocket, RFC 7395). Such a transport
    /// has no STARTTLS: it is <paramref name="confidential"/> when TLS protects it (wss://, or a trusted
    /// TLS-terminating proxy, or loopback); otherwise authentication on it is refused.
    /// </summary>
    public ClientConnection(ServerContext server, IClientTransport transport, IPAddress? remote, bool confidential, CancellationToken serverToken)
    {
        _server = server;
        _transport = transport;
        _secure = confidential;
        _remoteAddress = remote;
        _log = server.Logger;
        _parser = new XmppStreamParser(server.Options.Xml);
        _cts = CancellationTokenSource.CreateLinkedTokenSource(serverToken);
    }

    private enum Next
    {
        Continue,
        UpgradeTls,
        Close,
    }

    public async Task RunAsync()
    {
        var token = _cts.Token;
        _cts.CancelAfter(_server.Options.Client.NegotiationTimeout);
        StreamError? error = null;
        var lost = false;
        _unauthenticated = _server.UnauthenticatedClients.TryAcquire(_remoteAddress);
        if (_unauthenticated is null)
        {
            await RefuseAsync().ConfigureAwait(false);
            return;
        }

        try
        {
            if (_transport is not null)
            {
                // Framed by its transport already (WebSocket); confidentiality was decided by the caller.
            }
            else if (_directTls)
            {
                _transport = await StreamTransport.ServerTlsAsync(_socketStream!, _server.Options.Certificate, [XmppClientAlpn], token).ConfigureAwait(false);
                OnSecured();
            }
            else
            {
                _transport = StreamTransport.Plain(_socketStream!);
            }

            lost = !await ReadLoopAsync(token).ConfigureAwait(false);
        }
        catch (XmlStreamException e)
        {
            error = new StreamError(e.Condition, e.Message);
        }
        catch (StreamError e)
        {
            error = e;
        }
        catch (OperationCanceledException) when (_session is null && !_server.ShutdownToken.IsCancellationRequested)
        {
            error = new StreamError("connection-timeout", "Stream negotiation took too long.");
        }
        catch (OperationCanceledException) when (_server.ShutdownToken.IsCancellationRequested)
        {
            error = new StreamError("system-shutdown");
        }
        catch (OperationCanceledException)
        {
            // Either the server closed the session (its writer has already said why), another
            // connection resumed it, or the connection died under the writer or went silent:
            // only the last counts as lost (and may be resumed).
            lost = _session is { IsClosed: false };
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or ObjectDisposedException or InvalidOperationException)
        {
            LogConnectionLost(_log, _remoteAddress, e.Message);
            lost = true;
        }

        if (error is not null)
        {
            LogStreamError(_log, _session?.FullJid.ToString() ?? _remoteAddress?.ToString() ?? "?", error.Condition, error.Text ?? "");
        }

        await EndAsync(error, lost).ConfigureAwait(false);
    }

    /// <returns>true when the client closed the stream, false when the TCP connection just ended.</returns>
    private async Task<bool> ReadLoopAsync(CancellationToken token)
    {
        while (true)
        {
            var input = _transport!.Input;
            var result = await input.ReadAsync(token).ConfigureAwait(false);
            var buffer = result.Buffer;
            var next = Next.Continue;
            try
            {
                _session?.MarkReceived();
                while (next == Next.Continue && _parser.TryRead(ref buffer, out var ev))
                {
                    next = await HandleAsync(ev, token).ConfigureAwait(false);
                }
            }
            finally
            {
                input.AdvanceTo(buffer.Start, buffer.End);
            }

            if (next == Next.Close)
            {
                return true;
            }

            if (next == Next.UpgradeTls)
            {
                if (!buffer.IsEmpty)
                {
                    throw new StreamError("policy-violation", "Nothing may follow <starttls/> before the TLS handshake.");
                }

                _transport = await ((StreamTransport)_transport).UpgradeAsync(_server.Options.Certificate, token).ConfigureAwait(false);
                OnSecured();
                _parser.Reset();
                _headerSent = false;
                continue;
            }

            if (result.IsCompleted)
            {
                return false; // the peer closed the TCP connection without closing the stream
            }
        }
    }

    private void OnSecured()
    {
        _secure = true;
        _binding = _server.ChannelBinding;
    }

    private ValueTask<Next> HandleAsync(XmppStreamEvent ev, CancellationToken token) => ev.Kind switch
    {
        XmppStreamEventKind.StreamOpen => OpenStreamAsync(ev.Element!, token),
        XmppStreamEventKind.StreamClose => ValueTask.FromResult(Next.Close),
        _ => _session is not null ? StanzaAsync(ev.Element!, token) : NegotiateAsync(ev.Element!, token),
    };

    private async ValueTask<Next> OpenStreamAsync(XmlElement header, CancellationToken token)
    {
        _streamId = Convert.ToBase64String(RandomNumberGenerator.GetBytes(12));
        var to = header.GetAttribute("to");
        _transport!.Framing.WriteHeader(_transport.Output, _server.Domain, _user?.ToString(), _streamId, "en");
        _headerSent = true;

        if (to is not null && (!Jid.TryParse(to, out var toJid) || toJid.Domain != _server.Domain || !toJid.IsDomain))
        {
            throw new StreamError("host-unknown", $"This server serves {_server.Domain}.");
        }

        var version = header.GetAttribute("version");
        if (version is null || !version.StartsWith("1.", StringComparison.Ordinal))
        {
            throw new StreamError("unsupported-version", "XMPP 1.0 streams only.");
        }

        var features = new XmlElement("features", Namespaces.Streams);
        if (!_secure && _transport.CanStartTls)
        {
            features.AddElement("starttls", Namespaces.Tls).AddElement("required");
        }
        else if (_user is null)
        {
            var mechanisms = features.AddElement("mechanisms", Namespaces.Sasl);
            foreach (var m in SaslMechanisms.Offered(_secure, _binding))
            {
                mechanisms.AddElement("mechanism").AddText(m);
            }

            if (_binding is not null)
            {
                // XEP-0440: which channel-binding types the -PLUS mechanisms accept.
                features.AddElement("sasl-channel-binding", Namespaces.ChannelBindingTypes)
                    .AddElement("channel-binding").SetAttribute("type", _binding.Type);
            }
        }
        else
        {
            features.AddElement("bind", Namespaces.Bind);
            features.AddElement("session", Namespaces.Session).AddElement("optional");
            features.AddElement("ver", Namespaces.RosterVersioning);
            features.AddElement("sm", StreamManagement.Namespace);
            features.AddElement("csi", Namespaces.Csi);
        }

        await SendNowAsync(features, token).ConfigureAwait(false);
        return Next.Continue;
    }

    private async ValueTask<Next> NegotiateAsync(XmlElement element, CancellationToken token)
    {
        if (!_headerSent)
        {
            throw new StreamError("not-well-formed", "Expected a stream header.");
        }

        if (element.Namespace == Namespaces.Tls && element.Name == "starttls")
        {
            if (_secure || !_transport!.CanStartTls)
            {
                await SendNowAsync(new XmlElement("failure", Namespaces.Tls), token).ConfigureAwait(false);
                return Next.Close;
            }

            await SendNowAsync(new XmlElement("proceed", Namespaces.Tls), token).ConfigureAwait(false);
            return Next.UpgradeTls;
        }

        if (element.Namespace == Namespaces.Sasl && _user is null)
        {
            return await SaslAsync(element, token).ConfigureAwait(false);
        }

        if (_user is not null && element.Name == "iq" && element.Namespace == Namespaces.Client)
        {
            return await BindAsync(element, token).ConfigureAwait(false);
        }

        if (_user is not null && element.Namespace == StreamManagement.Namespace)
        {
            return await ResumeAsync(element, token).ConfigureAwait(false);
        }

        throw new StreamError("not-authorized", _secure || !_transport!.CanStartTls ? "Authenticate first." : "STARTTLS is required on this port.");
    }

    private async ValueTask<Next> SaslAsync(XmlElement element, CancellationToken token)
    {
        if (!_secure)
        {
            // RFC 6120 §6.5.4: nothing is authenticated in the clear here.
            await SaslFailureAsync("encryption-required", _transport!.CanStartTls ? "Use STARTTLS first." : "Connect over TLS (wss://) to authenticate.", token).ConfigureAwait(false);
            return Next.Continue;
        }

        switch (element.Name)
        {
            case "auth":
                var mechanism = element.GetAttribute("mechanism") ?? "";
                _sasl = SaslMechanisms.Create(mechanism, _secure, _binding, LookupCredential);
                if (_sasl is null)
                {
                    await SaslFailureAsync("invalid-mechanism", null, token).ConfigureAwait(false);
                    return Next.Continue;
                }

                break;
            case "response" when _sasl is not null:
                break;
            case "abort":
                _sasl = null;
                await SaslFailureAsync("aborted", null, token).ConfigureAwait(false);
                return Next.Continue;
            default:
                await SaslFailureAsync("malformed-request", null, token).ConfigureAwait(false);
                return Next.Continue;
        }

        var text = element.Text.Trim();
        byte[] data;
        if (text == "=")
        {
            data = [];
        }
        else
        {
            try
            {
                data = Convert.FromBase64String(text);
            }
            catch (FormatException)
            {
                _sasl = null;
                await SaslFailureAsync("incorrect-encoding", null, token).ConfigureAwait(false);
                return Next.Continue;
            }
        }

        // The throttle is asked before a step that checks a password is evaluated (PLAIN's message,
        // SCRAM's client-final), keyed on the address and the account named, so that a right guess
        // waits its turn like a wrong one and parallel connections share one pace.
        var claimed = _sasl.Username ?? (_sasl is PlainServer && data.Length > 0 ? PlainServer.ClaimedUsername(data) : null);
        if (_sasl.Username is not null || claimed is not null)
        {
            var wait = _server.AuthThrottle.Reserve(_remoteAddress, ThrottleKey(claimed));
            if (wait is not { } turn)
            {
                LogAuthRefused(_log, claimed ?? "?", _remoteAddress);
                _sasl = null;
                await SaslFailureAsync("temporary-auth-failure", "Too many failed attempts; try again later.", token).ConfigureAwait(false);
                return Next.Continue;
            }

            if (turn > TimeSpan.Zero)
            {
                await Task.Delay(turn, token).ConfigureAwait(false);
            }
        }

        var step = _sasl.Evaluate(data);
        switch (step.Outcome)
        {
            case SaslOutcome.Challenge:
                await SendNowAsync(new XmlElement("challenge", Namespaces.Sasl).AddText(Base64OrEmpty(step.Data)), token).ConfigureAwait(false);
                return Next.Continue;
            case SaslOutcome.Success:
                var user = _sasl.Username is null ? null : UserJid(_sasl.Username);
                if (user is null || _server.Accounts.Find(user) is not { } account)
                {
                    await SaslFailureAsync("not-authorized", null, token).ConfigureAwait(false);
                    return Next.Continue;
                }

                if (account.Locked)
                {
                    // RFC 6120 §6.5.1; said only to whoever knew the password.
                    LogAuthFailed(_log, user.ToString(), _remoteAddress, "account-disabled");
                    _sasl = null;
                    await SaslFailureAsync("account-disabled", "This account is locked.", token).ConfigureAwait(false);
                    return Next.Continue;
                }

                if (!string.IsNullOrEmpty(_sasl.AuthorizationId)
                    && (!Jid.TryParse(_sasl.AuthorizationId, out var authz) || authz != user))
                {
                    await SaslFailureAsync("invalid-authzid", null, token).ConfigureAwait(false);
                    return Next.Continue;
                }

                _user = user;
                _server.AuthThrottle.Succeeded(user.ToString());
                _unauthenticated?.Dispose(); // authenticated: no longer one of this address's strangers
                LogAuthenticated(_log, user.ToString(), _sasl.Mechanism, _remoteAddress);
                Diagnostics.XmppMetrics.LoginSucceeded(_sasl.Mechanism);
                _sasl = null;
                var success = new XmlElement("success", Namespaces.Sasl);
                if (step.Data is { Length: > 0 })
                {
                    success.AddText(Convert.ToBase64String(step.Data));
                }

                await SendNowAsync(success, token).ConfigureAwait(false);
                _parser.Reset();
                _headerSent = false;
                return Next.Continue;
            default:
                var username = _sasl.Username;
                _sasl = null;
                if (step.FailureText is "unsupported-channel-binding-type" or "server-does-support-channel-binding")
                {
                    // Refused at the first step, before any password was tried: a client feeling its
                    // way through the mechanisms, not a guesser. Neither throttled nor counted.
                    await SendNowAsync(SaslFailure(step.FailureCondition ?? "not-authorized", step.FailureText), token).ConfigureAwait(false);
                    return Next.Continue;
                }

                // Counted now; the wait falls on this address's and account's next attempt, before it is evaluated.
                _server.AuthThrottle.Fail(_remoteAddress, ThrottleKey(username));
                LogAuthFailed(_log, username ?? "?", _remoteAddress, step.FailureCondition ?? "not-authorized");

                await SaslFailureAsync(step.FailureCondition ?? "not-authorized", step.FailureText, token).ConfigureAwait(false);
                return Next.Continue;
        }
    }

    private static XmlElement SaslFailure(string condition, string? text)
    {
        var failure = new XmlElement("failure", Namespaces.Sasl);
        failure.AddElement(condition);
        if (text is not null)
        {
            failure.AddElement("text").SetAttribute("xml:lang", "en").AddText(text);
        }

        return failure;
    }

    private async ValueTask SaslFailureAsync(string condition, string? text, CancellationToken token)
    {
        Diagnostics.XmppMetrics.LoginFailed(condition);
        await SendNowAsync(SaslFailure(condition, text), token).ConfigureAwait(false);
        if (condition != "aborted" && ++_saslFailures >= MaxSaslAttempts)
        {
            throw new StreamError("policy-violation", "Too many failed authentication attempts.");
        }
    }

    private Core.Accounts.ScramCredential? LookupCredential(string username, string hash)
    {
        var jid = UserJid(username);
        return jid is null ? null : _server.Accounts.Find(jid)?.CredentialFor(hash);
    }

    /// <summary>The account an attempt is counted against: the bare JID it would log in as, normalised; any other name case-folded.</summary>
    private string? ThrottleKey(string? username) =>
        username is null ? null : UserJid(username)?.ToString() ?? Sasl.UnknownUserCredential.Normalize(username);

    private Jid? UserJid(string username) =>
        Jid.TryParse(username + "@" + _server.Domain, out var jid) && jid.IsBare && jid.Local is not null ? jid : null;

    private static string Base64OrEmpty(byte[]? data) => data is { Length: > 0 } ? Convert.ToBase64String(data) : "=";

    private async ValueTask<Next> BindAsync(XmlElement iq, CancellationToken token)
    {
        var payload = iq.FirstElement();
        var id = iq.GetAttribute("id") ?? "";
        if (payload is { Name: "session", Namespace: Namespaces.Session })
        {
            await SendNowAsync(new XmlElement("iq", Namespaces.Client).SetAttribute("type", "result").SetAttribute("id", id), token).ConfigureAwait(false);
            return Next.Continue;
        }

        if (payload is not { Name: "bind", Namespace: Namespaces.Bind } || iq.GetAttribute("type") != "set")
        {
            throw new StreamError("not-authorized", "Bind a resource first.");
        }

        var requested = payload.ChildText("resource", Namespaces.Bind)?.Trim();
        var resource = string.IsNullOrEmpty(requested) ? NewResource() : requested;
        if (!Jid.TryParse(_user + "/" + resource, out var full) || full.Resource != resource)
        {
            await SendNowAsync(StanzaError.ReplyTo(iq, "bad-request", "That resource is not allowed."), token).ConfigureAwait(false);
            return Next.Continue;
        }

        var session = new ClientSession(full, _server.Options.Client.MaxOutboundQueue, _server.Options.Client.MaxQueuedBytes, _server.PendingWrites)
        {
            Listener = _directTls ? Diagnostics.XmppMetrics.ListenerDirectTls : Diagnostics.XmppMetrics.ListenerClient,
        };
        if (!_server.Sessions.TryAdd(session, _server.Options.Client.MaxSessionsPerAccount, out var replaced))
        {
            await SendNowAsync(StanzaError.ReplyTo(iq, "resource-constraint", "Too many resources are bound to this account."), token).ConfigureAwait(false);
            return Next.Continue;
        }

        Diagnostics.XmppMetrics.SessionBound(_directTls);

        // RFC 6120 §7.7.2.2: the new session takes over the resource; the old one is told why it ends.
        replaced?.Close(new StreamError("conflict", "Replaced by a new connection for the same resource."));

        Carry(session, resend: false);

        var result = new XmlElement("iq", Namespaces.Client).SetAttribute("type", "result").SetAttribute("id", id);
        result.AddElement("bind", Namespaces.Bind).AddElement("jid").AddText(full.ToString());
        session.Send(result);
        LogBound(_log, full.ToString(), _remoteAddress);
        return Next.Continue;
    }

    /// <summary>This connection carries <paramref name="session"/> from now on; its writer loop starts.</summary>
    private void Carry(ClientSession session, bool resend)
    {
        _session = session;
        _cts.CancelAfter(Timeout.InfiniteTimeSpan); // negotiated: from now on the idle sweeper watches
        session.Attach(this, _cts);
        session.Writer = session.RunWriterAsync(_transport!.Output, _transport.Framing, resend, _cts.Token);

        // When the writer stops (session closed, connection broken), the read loop stops too.
        _ = session.Writer.ContinueWith(static (_, state) => Cancel((CancellationTokenSource)state!), _cts, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private static void Cancel(CancellationTokenSource cts)
    {
        try
        {
            cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>XEP-0198 §5: take over a session whose connection was lost, resending what it missed.</summary>
    private async ValueTask<Next> ResumeAsync(XmlElement element, CancellationToken token)
    {
        if (element.Name != "resume")
        {
            await SendNowAsync(SmFailed("unexpected-request", null), token).ConfigureAwait(false);
            return Next.Continue;
        }

        var previd = element.GetAttribute("previd") ?? "";
        if (!uint.TryParse(element.GetAttribute("h"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var h))
        {
            await SendNowAsync(SmFailed("bad-request", null), token).ConfigureAwait(false);
            return Next.Continue;
        }

        // Only the account that created the session may resume it: another user's id is simply unknown.
        if (!_server.Resumable.TryGetValue(previd, out var session) || session.BareJid != _user || session.IsClosed
            || session.StreamManagement is not { } sm)
        {
            await SendNowAsync(SmFailed("item-not-found", null), token).ConfigureAwait(false);
            return Next.Continue;
        }

        if (!sm.IsValidAck(h))
        {
            await SendNowAsync(SmFailed("unexpected-request", session.Inbound.StoredCount), token).ConfigureAwait(false);
            return Next.Continue;
        }

        // Stop the old connection (it may not have noticed it is dead) and wait for its writer to let go.
        var previous = session.Attach(this, _cts);
        if (previous is not null)
        {
            Cancel(previous);
        }

        try
        {
            await session.Writer.WaitAsync(TimeSpan.FromSeconds(5), token).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new StreamError("internal-server-error", "The previous connection did not let go of the session.");
        }

        sm.Acknowledge(h);

        // The client sends again whatever this count does not cover, so it counts only what is stored.
        var stored = await session.Inbound.StoredCountAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30), token).ConfigureAwait(false);
        session.Inbound.ResumeFrom(stored);
        await SendNowAsync(
            new XmlElement("resumed", StreamManagement.Namespace)
                .SetAttribute("previd", previd)
                .SetAttribute("h", stored.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            token).ConfigureAwait(false);
        Carry(session, resend: true);
        LogResumed(_log, session.FullJid.ToString(), sm.UnackedCount);
        return Next.Continue;
    }

    private static XmlElement SmFailed(string condition, uint? h)
    {
        var failed = new XmlElement("failed", StreamManagement.Namespace);
        if (h is { } value)
        {
            failed.SetAttribute("h", value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        failed.AddElement(condition, Namespaces.Stanzas);
        return failed;
    }

    /// <summary>Stream management and client state nonzas on a bound stream.</summary>
    private Next Nonza(ClientSession session, XmlElement element)
    {
        if (element.Namespace == Namespaces.Csi)
        {
            session.SetInactive(element.Name == "inactive");
            return Next.Continue;
        }

        var sm = session.StreamManagement;
        switch (element.Name)
        {
            case "enable" when sm is null:
                var resume = element.GetAttribute("resume") is "true" or "1";
                var id = resume ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)) : null;
                session.StreamManagement = new StreamManagement(id);
                session.Inbound.Restart();
                var enabled = new XmlElement("enabled", StreamManagement.Namespace);
                if (id is not null)
                {
                    _server.Resumable[id] = session;
                    var max = (int)_server.Options.Client.ResumeTimeout.TotalSeconds;
                    enabled.SetAttribute("id", id).SetAttribute("resume", "true").SetAttribute("max", max.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                session.SendNonza(enabled);
                return Next.Continue;
            case "r" when sm is not null:
                // Answered once what was handled so far is stored; the read loop does not wait for that.
                var stored = session.Inbound.StoredCountAsync();
                if (stored.IsCompletedSuccessfully)
                {
                    SendAck(session, stored.Result);
                }
                else
                {
                    _ = AckWhenStoredAsync(session, stored);
                }

                return Next.Continue;
            case "a" when sm is not null:
                if (!uint.TryParse(element.GetAttribute("h"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var h))
                {
                    throw new StreamError("invalid-xml", "<a/> needs a numeric 'h'.");
                }

                // The writer owns the unacknowledged queue and checks the count against what it sent.
                session.ClientAcknowledged(h);
                return Next.Continue;
            default:
                session.SendNonza(SmFailed("unexpected-request", sm is null ? null : session.Inbound.StoredCount));
                return Next.Continue;
        }
    }

    private static string NewResource() => "converge-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    private async ValueTask<Next> StanzaAsync(XmlElement element, CancellationToken token)
    {
        var session = _session!;
        if (element.Namespace is StreamManagement.Namespace or Namespaces.Csi)
        {
            return Nonza(session, element);
        }

        if (!Stanza.TryGetKind(element, out var kind))
        {
            throw new StreamError("unsupported-stanza-type", $"<{element.Name}/> is not a stanza this server knows.");
        }

        if (element.Namespace != Namespaces.Client)
        {
            throw new StreamError("invalid-namespace", "Stanzas on a client stream are in jabber:client.");
        }

        // RFC 6120 §8.1.2.1: the server stamps 'from'; a client may only name its own addresses.
        var from = element.GetAttribute("from");
        if (from is not null && from != session.FullJid.ToString() && from != session.BareJid.ToString()
            && !(Jid.TryParse(from, out var fromJid) && (fromJid == session.FullJid || fromJid == session.BareJid)))
        {
            throw new StreamError("invalid-from", "A client may not send on behalf of another address.");
        }

        element.SetAttribute("from", session.FullJid.ToString());
        var type = element.GetAttribute("type");
        Jid? to = null;
        var toText = element.GetAttribute("to");
        if (toText is not null && !Jid.TryParse(toText, out to))
        {
            if (type != "error")
            {
                session.Send(StanzaError.ReplyTo(element, "jid-malformed", "The 'to' address is not a valid JID."));
            }

            await HandledAsync(session, null).ConfigureAwait(false);
            return Next.Continue;
        }

        if (kind == StanzaKind.Iq && (element.GetAttribute("id") is null || type is not ("get" or "set" or "result" or "error")))
        {
            session.Send(StanzaError.ReplyTo(element, "bad-request", "An IQ needs an id and a type of get, set, result or error."));
            await HandledAsync(session, null).ConfigureAwait(false);
            return Next.Continue;
        }

        if (to is not null && to.ToString() != toText)
        {
            element.SetAttribute("to", to.ToString()); // normalized (case-folded) form
        }

        if (kind == StanzaKind.Iq)
        {
            // Read your own writes: an archive query or delete sees every message the client sent before it.
            var stored = session.Inbound.StoredCountAsync();
            if (!stored.IsCompletedSuccessfully)
            {
                await stored.ConfigureAwait(false);
            }
        }

        var write = await _server.Router.FromClientAsync(new Stanza(element, kind, session.FullJid, to), session, token).ConfigureAwait(false);
        await HandledAsync(session, write).ConfigureAwait(false);
        return Next.Continue;
    }

    /// <summary>
    /// Counts a handled stanza with the write its acknowledgement waits for (XEP-0198). A write that
    /// failed ends the stream: the client resumes (or reconnects) and sends again from what was stored.
    /// </summary>
    private static async ValueTask HandledAsync(ClientSession session, Task? write)
    {
        await session.Inbound.HandledAsync(write).ConfigureAwait(false);
        if (session.Inbound.Failed)
        {
            throw new StreamError("internal-server-error", "A message could not be stored; send again what was not acknowledged.");
        }
    }

    private static void SendAck(ClientSession session, uint h) => session.Inbound.Answer(h, static (s, value) =>
        s.SendNonza(new XmlElement("a", StreamManagement.Namespace).SetAttribute("h", value.ToString(System.Globalization.CultureInfo.InvariantCulture))), session);

    private static async Task AckWhenStoredAsync(ClientSession session, ValueTask<uint> stored) =>
        SendAck(session, await stored.ConfigureAwait(false));

    private async ValueTask SendNowAsync(XmlElement element, CancellationToken token)
    {
        _transport!.Framing.WriteElement(_transport.Output, element);
        await _transport.Output.FlushAsync(token).ConfigureAwait(false);
    }

    private async Task EndAsync(StreamError? error, bool lost)
    {
        var session = _session;
        var writer = session is not null && session.IsCarriedBy(this) ? session.Writer : null;
        try
        {
            if (session is not null && session.IsCarriedBy(this))
            {
                if (lost && error is null && session.StreamManagement?.ResumptionId is not null && !session.IsClosed
                    && !_server.ShutdownToken.IsCancellationRequested && session.TryDetach(this))
                {
                    // XEP-0198: keep the session (and everything owed to it) for the client to resume.
                    Cancel(_cts);
                    await session.Writer.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                    LogDetached(_log, session.FullJid.ToString());
                }
                else
                {
                    await _server.EndSessionAsync(session, error).ConfigureAwait(false);
                }
            }
            else if (session is null && _transport is not null)
            {
                await WriteFinalAsync(error).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or TimeoutException or ObjectDisposedException or InvalidOperationException)
        {
            // Nothing more can be said to this peer.
        }
        finally
        {
            // The session's writer may still be flushing to this transport (ending the session waits
            // for it only two seconds): stop it before the pipes it writes to are completed under it.
            if (writer is { IsCompleted: false })
            {
                Cancel(_cts);
                await writer.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            if (_transport is not null)
            {
                await _transport.DisposeAsync().ConfigureAwait(false);
            }
            else if (_socketStream is not null)
            {
                await _socketStream.DisposeAsync().ConfigureAwait(false);
            }

            _unauthenticated?.Dispose();
            _cts.Dispose();
        }
    }

    /// <summary>
    /// This address already has its share of connections still negotiating: say so (on the STARTTLS
    /// port, where that costs nothing) and close, before any TLS handshake or parser work is spent on it.
    /// </summary>
    private async Task RefuseAsync()
    {
        LogTooManyUnauthenticated(_log, _remoteAddress, _server.UnauthenticatedClients.MaxPerAddress);
        try
        {
            if (!_directTls && _socketStream is not null)
            {
                _transport = StreamTransport.Plain(_socketStream);
                await WriteFinalAsync(new StreamError("policy-violation", "Too many connections from your address are still negotiating.")).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // Gone already.
        }
        finally
        {
            if (_transport is not null)
            {
                await _transport.DisposeAsync().ConfigureAwait(false);
            }
            else if (_socketStream is not null)
            {
                await _socketStream.DisposeAsync().ConfigureAwait(false);
            }

            _cts.Dispose();
        }
    }

    private async Task WriteFinalAsync(StreamError? error)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var output = _transport!.Output;
        var framing = _transport.Framing;
        if (!_headerSent)
        {
            framing.WriteHeader(output, _server.Domain, null, _streamId.Length > 0 ? _streamId : "0", "en");
        }

        if (error is not null)
        {
            framing.WriteElement(output, error.ToElement());
        }

        framing.WriteClose(output);
        await output.FlushAsync(timeout.Token).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "{Jid} authenticated with {Mechanism} from {Address}")]
    private static partial void LogAuthenticated(ILogger logger, string jid, string mechanism, IPAddress? address);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "Authentication of {User} from {Address} failed: {Condition}")]
    private static partial void LogAuthFailed(ILogger logger, string user, IPAddress? address, string condition);

    [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "Session {Jid} bound from {Address}")]
    private static partial void LogBound(ILogger logger, string jid, IPAddress? address);

    [LoggerMessage(EventId = 403, Level = LogLevel.Information, Message = "Session {Jid} lost its connection; kept for resumption")]
    private static partial void LogDetached(ILogger logger, string jid);

    [LoggerMessage(EventId = 406, Level = LogLevel.Information, Message = "Session {Jid} resumed; resending {Count} unacknowledged stanzas")]
    private static partial void LogResumed(ILogger logger, string jid, int count);

    [LoggerMessage(EventId = 404, Level = LogLevel.Information, Message = "Stream with {Peer} closed with stream error {Condition}: {Text}")]
    private static partial void LogStreamError(ILogger logger, string peer, string condition, string text);

    [LoggerMessage(EventId = 4501, Level = LogLevel.Warning, Message = "Client connection from {Address} refused: already {Max} connections from there not authenticated")]
    private static partial void LogTooManyUnauthenticated(ILogger logger, IPAddress? address, int max);

    [LoggerMessage(EventId = 4502, Level = LogLevel.Warning, Message = "Authentication of {User} from {Address} refused unevaluated: too many failed attempts")]
    private static partial void LogAuthRefused(ILogger logger, string user, IPAddress? address);

    [LoggerMessage(EventId = 405, Level = LogLevel.Debug, Message = "Connection from {Address} lost: {Reason}")]
    private static partial void LogConnectionLost(ILogger logger, IPAddress? address, string reason);
}

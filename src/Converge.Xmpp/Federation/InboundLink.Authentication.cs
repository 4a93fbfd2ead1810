using System.Net.Sockets;
using System.Text;
using Converge.Core.Addressing;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Federation;

/// <summary>
/// How a peer proves the domains it sends from: SASL EXTERNAL with its certificate (XEP-0178) or
/// dialback (XEP-0220), and our answers to the verifications other servers ask of us.
/// </summary>
internal sealed partial class InboundLink
{
    /// <summary>SASL EXTERNAL (XEP-0178): the peer's certificate, already checked when offered, proves the domain it names.</summary>
    private async Task SaslAsync(XmlElement element, CancellationToken token)
    {
        if (element.Name != "auth" || _saslDone)
        {
            await SaslFailureAsync(element.Name == "abort" ? "aborted" : "malformed-request", token).ConfigureAwait(false);
            return;
        }

        if (!_stream.IsSecure)
        {
            await SaslFailureAsync("encryption-required", token).ConfigureAwait(false);
            return;
        }

        if (element.GetAttribute("mechanism") != "EXTERNAL")
        {
            await SaslFailureAsync("invalid-mechanism", token).ConfigureAwait(false);
            return;
        }

        string? authzid = null;
        var text = element.Text.Trim();
        if (text.Length > 0 && text != "=")
        {
            try
            {
                authzid = Encoding.UTF8.GetString(Convert.FromBase64String(text));
            }
            catch (FormatException)
            {
                await SaslFailureAsync("incorrect-encoding", token).ConfigureAwait(false);
                return;
            }
        }

        var domain = authzid is not null && Jid.TryParse(authzid, out var authzJid) && authzJid.IsDomain ? authzJid.Domain : authzid is null ? _claimedFrom : null;
        if (domain is null || (_claimedFrom is not null && domain != _claimedFrom))
        {
            await SaslFailureAsync("invalid-authzid", token).ConfigureAwait(false);
            return;
        }

        if (!_service.Policy.MayLink(domain) || !PeerCertificateTrust.IsTrustedFor(_stream.RemoteCertificate, domain, _service.Options.TrustedCertificates))
        {
            await SaslFailureAsync("not-authorized", token).ConfigureAwait(false);
            return;
        }

        Authenticate(domain, "sasl-external");
        _saslDone = true;
        await _stream.SendAsync(new XmlElement("success", Namespaces.Sasl), token).ConfigureAwait(false);
        _stream.Restart();
        _headerSent = false;
    }

    private ValueTask SaslFailureAsync(string condition, CancellationToken token)
    {
        var failure = new XmlElement("failure", Namespaces.Sasl);
        failure.AddElement(condition);
        return _stream.SendAsync(failure, token);
    }

    /// <summary>
    /// &lt;db:result/&gt;: the peer asks to be accepted for a domain. The key is checked with the
    /// domain's authoritative server in the background, so the peer's own &lt;db:verify/&gt;
    /// requests (which may be what its authoritative server waits for) keep being answered.
    /// </summary>
    private void DialbackResult(XmlElement element)
    {
        if (_service.Options.RequireTls && !_stream.IsSecure)
        {
            throw new StreamError("policy-violation", "TLS is required before dialback.");
        }

        if (element.GetAttribute("type") is not null)
        {
            return; // a verdict is ours to give on this stream, not the peer's
        }

        var from = element.GetAttribute("from");
        var to = element.GetAttribute("to");
        if (from is null || to is null)
        {
            throw new StreamError("improper-addressing", "<db:result/> needs 'from' and 'to'.");
        }

        if (!Jid.TryParse(to, out var toJid) || !toJid.IsDomain || !_service.ServesDomain(toJid.Domain))
        {
            throw new StreamError("host-unknown", $"This server does not serve {to}.");
        }

        if (!Jid.TryParse(from, out var fromJid) || !fromJid.IsDomain)
        {
            throw new StreamError("invalid-from", "<db:result/> 'from' is not a domain.");
        }

        var domain = fromJid.Domain;
        if (!_service.Policy.MayLink(domain))
        {
            throw new StreamError("not-authorized", $"There is no interconnection agreement with {domain}.");
        }

        if (_service.Policy.RequireCertificate(domain))
        {
            throw new StreamError("not-authorized",
                $"The interconnection agreement with {domain} requires it to authenticate with a trusted certificate (SASL EXTERNAL); dialback is not accepted.");
        }

        if (Interlocked.Increment(ref _pendingVerifications) > MaxPendingVerifications)
        {
            throw new StreamError("policy-violation", "Too many dialback requests at once.");
        }

        _verifications.Add(VerifyAndAnswerAsync(domain, toJid.Domain, _streamId, element.Text.Trim(), _cts.Token));
    }

    private async Task VerifyAndAnswerAsync(string domain, string receiving, string streamId, string key, CancellationToken token)
    {
        try
        {
            var outcome = key.Length == 0
                ? DialbackOutcome.Invalid
                : await _service.Verifier.VerifyAsync(domain, receiving, streamId, key, token).ConfigureAwait(false);
            switch (outcome)
            {
                case DialbackOutcome.Valid:
                    Authenticate(domain, "dialback");
                    await _stream.SendDialbackAsync("result", receiving, domain, null, "valid", null, token).ConfigureAwait(false);
                    break;
                case DialbackOutcome.Invalid:
                    await _stream.SendDialbackAsync("result", receiving, domain, null, "invalid", null, token).ConfigureAwait(false);
                    if (_authenticated.IsEmpty)
                    {
                        Stop(new StreamError("not-authorized", $"Dialback for {domain} failed: its server does not know the key."), "dialback failed");
                    }

                    break;
                default:
                    Stop(new StreamError("remote-connection-failed", $"The authoritative server of {domain} could not be asked."), "dialback unverifiable");
                    break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The link is ending anyway; its read loop reports why.
        }
        finally
        {
            Interlocked.Decrement(ref _pendingVerifications);
        }
    }

    /// <summary>&lt;db:verify/&gt;: a receiving server asks whether we made a key for its stream (XEP-0220 §2.2.2).</summary>
    private async Task DialbackVerifyAsync(XmlElement element, CancellationToken token)
    {
        var from = element.GetAttribute("from");
        var to = element.GetAttribute("to");
        var id = element.GetAttribute("id");
        if (from is null || to is null || id is null || element.GetAttribute("type") is not null)
        {
            throw new StreamError("improper-addressing", "<db:verify/> needs 'from', 'to' and 'id'.");
        }

        var valid = _service.ServesDomain(to) && _service.Keys.Verify(from, to, id, element.Text);
        await _stream.SendDialbackAsync("verify", to, from, id, valid ? "valid" : "invalid", null, token).ConfigureAwait(false);
        FederationLog.DialbackAnswered(_service.Logger, from, valid ? "valid" : "invalid");
    }

    private void Authenticate(string domain, string how)
    {
        var counters = _service.CountersFor(domain);
        var limit = _service.Policy.MaxStanzasPerSecond(domain);
        var authenticated = new Authenticated(counters, limit > 0 ? new StanzaRateLimit(limit) : null, _service.RepliesFor(domain), how == "sasl-external");
        if (_authenticated.TryAdd(domain, authenticated))
        {
            _unauthenticated?.Dispose(); // a proven peer no longer takes a stranger's place
            FederationLog.InboundAuthenticated(_service.Logger, _stream.RemoteEndPoint, domain, how);
        }
    }
}

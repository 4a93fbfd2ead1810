using Converge.Core.Addressing;
using Converge.Xmpp.Sasl;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Client;

/// <summary>SASL authentication (RFC 6120 §6), throttled per address and account.</summary>
internal sealed partial class ClientConnection
{
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
                RestartStream();
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
}

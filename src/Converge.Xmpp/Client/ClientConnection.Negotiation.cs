using System.Security.Cryptography;
using Converge.Core.Addressing;
using Converge.Xmpp.Sasl;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Client;

/// <summary>
/// Stream negotiation before a session is bound (RFC 6120 §4-§7): the stream header and the features
/// offered in each state, and which element is allowed in which state (<see cref="ClientNegotiationTable"/>).
/// </summary>
internal sealed partial class ClientConnection
{
    private ValueTask<Next> HandleAsync(XmppStreamEvent ev, CancellationToken token) => ev.Kind switch
    {
        XmppStreamEventKind.StreamOpen => OpenStreamAsync(ev.Element!, token),
        XmppStreamEventKind.StreamClose => ValueTask.FromResult(Next.Close),
        _ => _state == ClientStreamState.Bound ? StanzaAsync(ev.Element!, token) : NegotiateAsync(ev.Element!, token),
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

        if (_state == ClientStreamState.AwaitingHeader)
        {
            _state = ClientNegotiationTable.AfterHeader(_secure, authenticated: _user is not null);
        }

        var features = new XmlElement("features", Namespaces.Streams);
        if (_state == ClientStreamState.Insecure && _transport.CanStartTls)
        {
            features.AddElement("starttls", Namespaces.Tls).AddElement("required");
        }
        else if (_state is ClientStreamState.Insecure or ClientStreamState.Secured)
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

    /// <summary>An element before the session is bound: allowed by the table in this state, or the stream ends.</summary>
    private ValueTask<Next> NegotiateAsync(XmlElement element, CancellationToken token)
    {
        var kind = NegotiationElements.Classify(element);
        if (!ClientNegotiationTable.Allows(_state, kind))
        {
            throw _state == ClientStreamState.AwaitingHeader
                ? new StreamError("not-well-formed", "Expected a stream header.")
                : new StreamError("not-authorized", _secure || !_transport!.CanStartTls ? "Authenticate first." : "STARTTLS is required on this port.");
        }

        return kind switch
        {
            NegotiationElement.StartTls => StartTlsAsync(token),
            NegotiationElement.Sasl => SaslAsync(element, token),
            NegotiationElement.ClientIq => BindAsync(element, token),
            _ => ResumeAsync(element, token),
        };
    }

    /// <summary>RFC 6120 §5.4.2: proceed, and the read loop swaps the transport; refused (and closed) once secure.</summary>
    private async ValueTask<Next> StartTlsAsync(CancellationToken token)
    {
        if (_secure || !_transport!.CanStartTls)
        {
            await SendNowAsync(new XmlElement("failure", Namespaces.Tls), token).ConfigureAwait(false);
            return Next.Close;
        }

        await SendNowAsync(new XmlElement("proceed", Namespaces.Tls), token).ConfigureAwait(false);
        return Next.UpgradeTls;
    }

    /// <summary>A stream restart (RFC 6120 §5.4.3.3, §6.4.6): the client opens a new stream over what was negotiated.</summary>
    private void RestartStream()
    {
        _parser.Reset();
        _headerSent = false;
        _state = ClientStreamState.AwaitingHeader;
    }
}

using Converge.Core.Addressing;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Federation;

/// <summary>
/// The peer's stanzas once a domain is authenticated: from a domain this link authenticated, to a
/// domain we serve, within the agreement's features and rate, in order to the router.
/// </summary>
internal sealed partial class InboundLink
{
    /// <summary>A stanza on an authenticated link (before authentication the negotiation table refuses it).</summary>
    private async Task StanzaAsync(XmlElement element, StanzaKind kind, CancellationToken token)
    {
        if (element.Namespace != Namespaces.Server)
        {
            throw new StreamError("invalid-namespace", "Stanzas on a server-to-server stream are in jabber:server.");
        }

        var fromText = element.GetAttribute("from");
        var toText = element.GetAttribute("to");
        if (fromText is null || toText is null)
        {
            throw new StreamError("improper-addressing", "Stanzas between servers carry 'from' and 'to'.");
        }

        if (!Jid.TryParse(fromText, out var from) || !_authenticated.TryGetValue(from.Domain, out var peer))
        {
            throw new StreamError("invalid-from", $"'{fromText}' is not in a domain this link has authenticated.");
        }

        if (peer.RateLimit is { } limit && !limit.TryTake())
        {
            throw new StreamError("policy-violation", "Too many stanzas: the agreement's rate limit is exceeded.");
        }

        var clientForm = element.CloneAs(Namespaces.Client).SetAttribute("from", from.ToString());
        if (!Jid.TryParse(toText, out var to))
        {
            peer.Counters.StanzaIn();
            await _service.Server.Router.BounceAsync(new Stanza(clientForm, kind, from, null), "jid-malformed", "The 'to' address is not a valid JID.", token).ConfigureAwait(false);
            return;
        }

        if (!_service.ServesDomain(to.Domain))
        {
            throw new StreamError("host-unknown", $"This server does not serve {to.Domain}.");
        }

        clientForm.SetAttribute("to", to.ToString());
        var stanza = new Stanza(clientForm, kind, from, to);
        if (!PeerReplyTracker.IsReply(stanza))
        {
            peer.Replies.RequestReceived(stanza);
        }
        else if (!peer.Replies.AnswersSent(stanza))
        {
            // An error or IQ result crosses only as the answer to a request we sent that peer.
            peer.Counters.UnsolicitedReplyIn();
            FederationLog.UnsolicitedReplyIn(_service.Logger, element.Name, stanza.Type, stanza.Id, fromText, toText, from.Domain);
            return;
        }

        peer.Counters.StanzaIn();
        FederationLog.StanzaReceived(_service.Logger, element.Name, element.GetAttribute("type"), fromText, toText);
        try
        {
            await _service.Server.Router.FromPeerAsync(stanza, from.Domain, token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A fault in one handler must not cut the whole interconnection.
            FederationLog.RoutingFailed(_service.Logger, from.Domain, e);
        }
    }
}

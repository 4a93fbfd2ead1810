using System.Net.Sockets;
using System.Security.Authentication;
using Converge.Xmpp.Federation.Negotiation;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Federation;

/// <summary>
/// The initiating side's first steps, shared by outbound links and dialback verifications: find
/// the peer, connect, open a jabber:server stream and secure it with TLS. What happens on the
/// secured stream (authentication, verification) is the caller's.
/// </summary>
internal sealed class PeerConnector(FederationService service)
{
    /// <summary>Connects to the first endpoint of <paramref name="domain"/> that answers (direct TLS already done where the endpoint says so).</summary>
    public async Task<(PeerStream Stream, PeerEndpoint Endpoint)> ConnectAsync(string domain, CancellationToken cancellationToken)
    {
        var endpoints = await service.Resolver.ResolveAsync(domain, cancellationToken).ConfigureAwait(false);
        if (endpoints.Count == 0)
        {
            throw new PeerLinkException(PeerLinkException.NotFound, $"{domain} has no server-to-server service.");
        }

        var reason = "no address";
        foreach (var endpoint in endpoints)
        {
            var addresses = await service.Resolver.ResolveHostAsync(endpoint.Host, cancellationToken).ConfigureAwait(false);
            foreach (var address in addresses)
            {
                PeerStream? stream = null;
                try
                {
                    stream = await PeerStream.ConnectAsync(address, endpoint.Port, service.Options.XmlLimits, service.Options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
                    if (endpoint.DirectTls)
                    {
                        await stream.StartTlsAsClientAsync(domain, service.Server.Options.Certificate, directTls: true, cancellationToken).ConfigureAwait(false);
                    }

                    return (stream, endpoint);
                }
                catch (Exception e) when (e is SocketException or IOException or TimeoutException or AuthenticationException)
                {
                    reason = $"{address}:{endpoint.Port}: {e.Message}";
                    FederationLog.ConnectAttemptFailed(service.Logger, domain, endpoint.ToString(), e.Message);
                    if (stream is not null)
                    {
                        await stream.DisposeAsync().ConfigureAwait(false);
                    }
                }
            }
        }

        throw new PeerLinkException(PeerLinkException.NotFound, $"Cannot connect to {domain} ({reason}).");
    }

    /// <summary>
    /// Opens the stream and, when the peer offers it, negotiates STARTTLS and opens again
    /// (<see cref="OutboundNegotiationTable.AfterFeatures"/>). Returns the features and stream id of the
    /// last stream header the peer sent: the stream is then ready for authentication.
    /// </summary>
    public async Task<(XmlElement Features, string StreamId)> OpenSecureAsync(PeerStream stream, string localDomain, string domain, CancellationToken cancellationToken)
    {
        var (features, id) = await OpenAsync(stream, localDomain, domain, cancellationToken).ConfigureAwait(false);
        var step = OutboundNegotiationTable.AfterFeatures(
            authenticated: false, stream.IsSecure, offersStartTls: features.Element("starttls", Namespaces.Tls) is not null, service.Options.RequireTls);
        if (step.Move == OutboundMove.Fail)
        {
            throw step.ToException(domain);
        }

        if (step.Next != OutboundLinkStage.AwaitingProceed)
        {
            return (features, id);
        }

        await stream.SendAsync(new XmlElement("starttls", Namespaces.Tls), cancellationToken).ConfigureAwait(false);
        var answer = await ReadElementAsync(stream, domain, cancellationToken).ConfigureAwait(false);
        step = OutboundNegotiationTable.Answer(OutboundLinkStage.AwaitingProceed, OutboundNegotiationTable.Classify(answer));
        if (step.Move != OutboundMove.Advance)
        {
            throw step.ToException(domain, answer.Name);
        }

        try
        {
            await stream.StartTlsAsClientAsync(domain, service.Server.Options.Certificate, directTls: false, cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationException e)
        {
            throw new PeerLinkException(PeerLinkException.NotFound, $"TLS with {domain} failed: {e.Message}");
        }

        return await OpenAsync(stream, localDomain, domain, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends our stream header and reads the peer's header and features (RFC 6120 §4.2-4.3).</summary>
    public async Task<(XmlElement Features, string StreamId)> OpenAsync(PeerStream stream, string localDomain, string domain, CancellationToken cancellationToken)
    {
        await stream.WriteHeaderAsync(localDomain, domain, null, cancellationToken).ConfigureAwait(false);
        var header = await stream.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (header is not { Kind: XmppStreamEventKind.StreamOpen } open)
        {
            throw new PeerLinkException(PeerLinkException.NotFound, $"{domain} closed the connection instead of opening a stream.");
        }

        if (stream.ContentNamespace != Namespaces.Server)
        {
            throw new PeerLinkException(PeerLinkException.NotFound, $"{domain} answered with a '{stream.ContentNamespace}' stream, not a server one.");
        }

        var id = open.Element!.GetAttribute("id") ?? "";
        var version = open.Element.GetAttribute("version");
        if (version is null || !version.StartsWith("1.", StringComparison.Ordinal))
        {
            return (new XmlElement("features", Namespaces.Streams), id); // pre-1.0 peers send no features (RFC 6120 §4.7.5)
        }

        var features = await ReadElementAsync(stream, domain, cancellationToken).ConfigureAwait(false);
        var step = OutboundNegotiationTable.Answer(OutboundLinkStage.AwaitingFeatures, OutboundNegotiationTable.Classify(features));
        if (step.Move != OutboundMove.Advance)
        {
            throw step.ToException(domain, features.Name);
        }

        return (features, id);
    }

    /// <summary>The next element; a stream error or the end of the stream becomes a <see cref="PeerLinkException"/>.</summary>
    public static async Task<XmlElement> ReadElementAsync(PeerStream stream, string domain, CancellationToken cancellationToken)
    {
        XmppStreamEvent? ev;
        try
        {
            ev = await stream.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (XmlStreamException e)
        {
            throw new PeerLinkException(PeerLinkException.NotFound, $"{domain} sent bad XML: {e.Message}");
        }

        if (ev is not { Kind: XmppStreamEventKind.Element } element)
        {
            throw new PeerLinkException(PeerLinkException.NotFound, $"{domain} closed the stream.");
        }

        var received = element.Element!;
        if (received.Name == "error" && received.Namespace == Namespaces.Streams)
        {
            throw OutboundNegotiationTable.OnStreamError(
                domain, received.FirstElement()?.Name ?? "undefined-condition", received.ChildText("text", Namespaces.StreamErrors));
        }

        return received;
    }
}

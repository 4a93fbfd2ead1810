using System.Net.Sockets;
using System.Security.Authentication;
using Converge.Xmpp.Federation.Negotiation;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Federation;

/// <summary>
/// The receiving server's half of dialback (XEP-0220 §2.2): asks the authoritative server of the
/// originating domain, over a connection of its own, whether a key is one it generated for our
/// stream. A separate short-lived connection keeps verification independent of the state of the
/// outbound link to that domain (which may itself be waiting for this very answer).
/// </summary>
internal sealed class DialbackVerifier(FederationService service)
{
    /// <param name="originatingDomain">The domain the peer claims.</param>
    /// <param name="receivingDomain">Our domain the peer wants to send to.</param>
    /// <param name="streamId">The id of our stream to the peer, which the key is bound to.</param>
    /// <param name="key">The key the peer sent in &lt;db:result/&gt;.</param>
    /// <param name="cancellationToken">Cancelled when the link that asked ends.</param>
    public async Task<DialbackOutcome> VerifyAsync(string originatingDomain, string receivingDomain, string streamId, string key, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(service.Options.LinkSetupTimeout);
        var token = timeout.Token;
        PeerStream? stream = null;
        try
        {
            (stream, _) = await service.Connector.ConnectAsync(originatingDomain, token).ConfigureAwait(false);
            await service.Connector.OpenSecureAsync(stream, receivingDomain, originatingDomain, token).ConfigureAwait(false);
            await stream.SendDialbackAsync("verify", receivingDomain, originatingDomain, streamId, null, key, token).ConfigureAwait(false);
            while (true)
            {
                var answer = await PeerConnector.ReadElementAsync(stream, originatingDomain, token).ConfigureAwait(false);
                var step = OutboundNegotiationTable.Answer(OutboundLinkStage.AwaitingVerification, OutboundNegotiationTable.Classify(answer));
                if (step.Move == OutboundMove.Advance && answer.GetAttribute("id") == streamId)
                {
                    var outcome = answer.GetAttribute("type") == "valid" ? DialbackOutcome.Valid : DialbackOutcome.Invalid;
                    FederationLog.DialbackVerified(service.Logger, originatingDomain, outcome.ToString());
                    return outcome;
                }
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is PeerLinkException or SocketException or IOException
            or AuthenticationException or XmlStreamException or Streams.StreamError or OperationCanceledException)
        {
            FederationLog.DialbackUnverifiable(service.Logger, originatingDomain, e is OperationCanceledException ? "no answer in time" : e.Message);
            return DialbackOutcome.Unverified;
        }
        finally
        {
            if (stream is not null)
            {
                await stream.CloseAsync(null, headerSent: true, receivingDomain).ConfigureAwait(false);
            }
        }
    }
}

using Converge.Core.Addressing;
using Converge.Core.Federation;
using Converge.Xmpp.Federation;
using Converge.Xmpp.Server;
using Converge.Xmpp.Stanzas;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Routing.Policy;

/// <summary>
/// The interconnection agreements on the routing step: what a peer may send in and what may go out
/// to it (features, both ways), what our users' stanzas expose, and that nothing transits through us.
/// </summary>
internal sealed partial class InterconnectionPolicy(
    Func<AgreementBook> agreements, AccountDirectory accounts, AgreementRefusals refusals, StanzaRouter router, string domain, ILogger logger,
    GroupChat.GroupChatTraffic? groupChat = null)
{
    private static readonly string[] Inbound =
    [
        .. RoutingEventNames.ToAccounts, RoutingEventNames.MessageHost, RoutingEventNames.PresenceHost, RoutingEventNames.IqHost,
        RoutingEventNames.MessageService, RoutingEventNames.PresenceService, RoutingEventNames.IqService,
    ];

    public void Hook(RoutingEvents events)
    {
        events.Hook(RoutingEventNames.RouteRemote, RoutePriority.NoTransit, "interconnection: no transit", NoTransitAsync);
        events.Hook(Inbound, RoutePriority.Agreement, "interconnection: agreement in", InboundAsync);
        events.Hook(RoutingEventNames.RouteRemote, RoutePriority.Agreement, "interconnection: agreement out", OutboundAsync);
    }

    /// <summary>A peer's stanza whose destination resolved to another provider is refused, never forwarded.</summary>
    private async ValueTask<bool> NoTransitAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        if (routed.Origin != StanzaOrigin.Peer)
        {
            return false;
        }

        var peer = routed.PeerDomain!;
        refusals.In(peer, RefusalReason.Transit);
        LogTransitRefused(logger, peer, routed.Stanza.To!.Domain);
        if (routed.Stanza.Kind != StanzaKind.Presence)
        {
            await router.RefuseAsync(routed, "not-allowed", $"{domain} does not relay stanzas to other providers.", cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    private async ValueTask<bool> InboundAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        if (routed.Origin != StanzaOrigin.Peer)
        {
            return false;
        }

        var peer = routed.PeerDomain!;
        var book = agreements();
        var stanza = routed.Stanza;
        var feature = groupChat?.Classify(routed, outbound: false) ?? StanzaFeature.Of(stanza);
        if (!book.MayLink(peer) || (feature != InterconnectionFeature.None && !book.Allows(peer, feature)))
        {
            refusals.In(peer, book.MayLink(peer) ? RefusalReason.Feature(feature) : RefusalReason.NoAgreement);
            LogRefusedInbound(logger, peer, feature.ToString());
            if (feature != InterconnectionFeature.Presence)
            {
                await router.RefuseAsync(routed, "not-allowed", $"The interconnection agreement with {domain} does not include {feature}.", cancellationToken).ConfigureAwait(false);
            }

            return true;
        }

        if (stanza.Kind == StanzaKind.Iq && stanza.Type is "get" or "set" && routed.Target is RouteTarget.Bare or RouteTarget.Full
            && !book.Allows(peer, InterconnectionFeature.Presence) && !book.Allows(peer, InterconnectionFeature.Subscription))
        {
            // Without presence or subscriptions a peer has no business asking about an account; the
            // answer is the same whether it exists or not, so the peer cannot enumerate our users.
            refusals.In(peer, RefusalReason.AccountQuery);
            await router.RefuseAsync(routed, "service-unavailable", null, cancellationToken).ConfigureAwait(false);
            return true;
        }

        // A number of the peer's range is shown to our users under our own domain, the address they
        // used to reach it (seed 000: the sender never has to know the provider). Never a number that
        // is ours: a peer cannot speak as one of our subscribers.
        var from = stanza.From!;
        if (E164.IsE164Localpart(from.Local) && book.RouteNumber(from.Local!) is { Kind: NumberRouteKind.Peer } route && route.Domain == peer
            && accounts.FindByMsisdn(from.Local!) is null)
        {
            routed.Readdress(Jid.Create(from.Local, domain, from.Resource), null);
        }

        return false;
    }

    private async ValueTask<bool> OutboundAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        var stanza = routed.Stanza;
        var peer = stanza.To!.Domain;
        var book = agreements();
        var feature = groupChat?.Classify(routed, outbound: true) ?? StanzaFeature.Of(stanza);
        string? refusal = null;
        if (!book.MayLink(peer))
        {
            refusal = $"There is no interconnection agreement with {peer}.";
        }
        else if (feature != InterconnectionFeature.None && !book.Allows(peer, feature))
        {
            refusal = $"The interconnection agreement with {peer} does not include {feature}.";
        }

        if (refusal is not null)
        {
            refusals.Out(peer, book.MayLink(peer) ? RefusalReason.Feature(feature) : RefusalReason.NoAgreement);
            LogRefusedOutbound(logger, peer, feature.ToString());
            if (feature != InterconnectionFeature.Presence)
            {
                await router.RefuseAsync(routed, "not-allowed", refusal, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }

        groupChat?.Passed(routed);
        var element = ExposureFilter.Apply(stanza.Element, book.ExposureFor(peer));
        if (!ReferenceEquals(element, stanza.Element))
        {
            routed.Replace(element);
        }

        return false;
    }

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Refused a stanza from {Domain}: the agreement does not allow {Feature}")]
    private static partial void LogRefusedInbound(ILogger logger, string domain, string feature);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "Refused a stanza to {Domain}: the agreement does not allow {Feature}")]
    private static partial void LogRefusedOutbound(ILogger logger, string domain, string feature);

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "Refused a stanza from {Domain} for {Destination}: stanzas from a peer are delivered only to local recipients (no transit)")]
    private static partial void LogTransitRefused(ILogger logger, string domain, string destination);
}

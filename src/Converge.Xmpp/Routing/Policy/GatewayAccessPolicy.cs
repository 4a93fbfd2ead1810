using Converge.Core.Federation;
using Converge.Xmpp.Federation;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Routing.Policy;

/// <summary>
/// Who may make the SMS and email gateways send: local accounts, and the users of a peer whose
/// agreement grants <see cref="InterconnectionFeature.Interworking"/> (counted and rate-limited per
/// peer; SMS only, since our mail can only go out from our own subscribers' mailboxes). Nobody else: a gateway open to the world is an SMS-pumping fraud. What came in by SMS or
/// mail never goes back out by SMS or mail.
/// </summary>
internal sealed partial class GatewayAccessPolicy(Func<AgreementBook> agreements, AgreementRefusals refusals, PeerInterworkingLimits limits, StanzaRouter router, ILogger logger)
{
    public void Hook(RoutingEvents events) =>
        events.Hook(RoutingEventNames.RouteLegacy, RoutePriority.GatewayAccess, "interworking: who may use the gateways", CheckAsync);

    private async ValueTask<bool> CheckAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        switch (routed.Origin)
        {
            case StanzaOrigin.Client or StanzaOrigin.Internal when routed.Sender is not null:
                return false;
            case StanzaOrigin.Peer when routed.Channel == LegacyChannel.Email:
                // Our mail goes out from our subscribers' mailboxes; a peer's user has none here, and
                // writing as localpart@our-mail-domain would speak as whichever subscriber has that name.
                refusals.In(routed.PeerDomain!, RefusalReason.EmailInterworking);
                LogPeerRefused(logger, routed.PeerDomain!, "Email");
                await router.RefuseAsync(routed, "not-allowed", "Email interworking is for this provider's own subscribers.", cancellationToken).ConfigureAwait(false);
                return true;
            case StanzaOrigin.Peer when agreements().Find(routed.PeerDomain!) is { } agreement && agreement.Allows(InterconnectionFeature.Interworking):
                if (limits.TryTake(agreement))
                {
                    return false;
                }

                LogPeerThrottled(logger, routed.PeerDomain!);
                await router.RefuseAsync(routed, "resource-constraint", $"Too many messages from {routed.PeerDomain} for SMS and email; try again later.", cancellationToken).ConfigureAwait(false);
                return true;
            case StanzaOrigin.Peer:
                refusals.In(routed.PeerDomain!, RefusalReason.Interworking);
                LogPeerRefused(logger, routed.PeerDomain!, routed.Channel?.ToString() ?? "legacy");
                await router.RefuseAsync(routed, "not-allowed", "This address is not reachable from your provider.", cancellationToken).ConfigureAwait(false);
                return true;
            default:
                // From an SMS or a mail (or from nobody): into XMPP only, never back out to SMS or mail.
                LogLegacyLoopRefused(logger, routed.Stanza.From?.ToString() ?? "nobody", routed.Channel?.ToString() ?? "legacy");
                await router.RefuseAsync(routed, "not-allowed", null, cancellationToken).ConfigureAwait(false);
                return true;
        }
    }

    [LoggerMessage(EventId = 205, Level = LogLevel.Warning, Message = "Refused a message from {Domain} for {Channel}: the agreement does not grant Interworking")]
    private static partial void LogPeerRefused(ILogger logger, string domain, string channel);

    [LoggerMessage(EventId = 206, Level = LogLevel.Warning, Message = "Refused a message from {Domain} for SMS or email: over the agreement's InterworkingPerMinute")]
    private static partial void LogPeerThrottled(ILogger logger, string domain);

    [LoggerMessage(EventId = 207, Level = LogLevel.Information, Message = "Refused a message from {Sender} for {Channel}: what comes in by SMS or mail does not go back out by it")]
    private static partial void LogLegacyLoopRefused(ILogger logger, string sender, string channel);
}

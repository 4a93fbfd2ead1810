using Converge.Xmpp.Server;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Routing.Routes;

/// <summary>
/// The route out to SMS and email: hands a message, past the gateway's gate, to the interworking
/// function, which stores it durably for ordered submission before the sender's message counts as
/// handled. Without a gateway (no Sms or Email section) the sender gets service-unavailable.
/// </summary>
internal sealed partial class LegacyRoute(InterworkingCounters counters, StanzaRouter router, ILogger logger)
{
    /// <summary>The interworking function, set by the host when it configures one.</summary>
    public ILegacyGateway? Gateway { get; set; }

    public bool Supports(LegacyChannel channel) => Gateway?.Supports(channel) ?? false;

    public void Hook(RoutingEvents events) =>
        events.Hook(RoutingEventNames.RouteLegacy, RoutePriority.Delivery, "interworking: to the SMS or email gateway", SendAsync);

    /// <summary>Text messages and session negotiation travel; chat states, receipts, errors alone do not.</summary>
    public static bool Takes(Stanza stanza) =>
        stanza.Kind == StanzaKind.Message && stanza.From is not null && stanza.Type is not ("error" or "groupchat" or "headline")
        && (stanza.Element.Element("body", Namespaces.Client) is not null || stanza.Element.Element("feature", Federation.StanzaFeature.FeatureNegotiation) is not null);

    private async ValueTask<bool> SendAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        var stanza = routed.Stanza;
        if (!Takes(stanza) || routed.Channel is not { } channel || routed.LegacyAddress is not { } address)
        {
            return false;
        }

        if (Gateway is not { } gateway || !gateway.Supports(channel))
        {
            // Counted only where interworking exists: a server without it has no channels to count.
            if (Gateway is not null)
            {
                counters.Count(channel);
            }

            await router.RefuseAsync(routed, "service-unavailable", $"{channel} interworking is not available here.", cancellationToken).ConfigureAwait(false);
            return true;
        }

        counters.Count(channel);
        // A subscriber XMPP cannot reach now (technology selection), or an address that is nobody's here.
        Diagnostics.XmppMetrics.LegacyDecision(channel, routed.Recipient is not null ? "subscriber_unreachable" : "not_subscriber");
        var recipient = routed.AddressedAs ?? stanza.To!;
        LogInterworked(logger, stanza.From!.Bare.ToString(), recipient.ToString(), channel.ToString(), routed.LegacyReason ?? "");
        if (!await gateway.AcceptAsync(new LegacyMessage(channel, address, stanza.From!, recipient, stanza.Element), cancellationToken).ConfigureAwait(false))
        {
            await router.RefuseAsync(routed, "not-acceptable", $"The message cannot be sent by {channel}.", cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    [LoggerMessage(EventId = 203, Level = LogLevel.Information, Message = "Message from {Sender} to {Recipient} goes by {Channel}: {Reason}")]
    private static partial void LogInterworked(ILogger logger, string sender, string recipient, string channel, string reason);
}

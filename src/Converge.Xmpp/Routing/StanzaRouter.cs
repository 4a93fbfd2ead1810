using Converge.Core.Addressing;
using Converge.Xmpp.Client;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Routing;

/// <summary>
/// The one routing step. Each door hands its stanzas in with what it knows of the sender; the
/// router classifies the destination once and fires the event for it (<see cref="RoutingEventNames"/>);
/// the hooked handlers do the rest in priority order: policy, delivery, the routes out
/// (<see cref="RoutePriority"/>). A stanza that no handler takes gets what RFC 6120/6121 say.
/// </summary>
internal sealed partial class StanzaRouter(RoutingEvents events, DestinationResolver resolver, SessionRegistry sessions, string domain, ILogger logger)
{
    public RoutingEvents Events { get; } = events;

    /// <summary>
    /// A stanza sent by a local client, 'from' already stamped with its full JID. Returns, without
    /// waiting for it, the storing the stanza caused (its archive rows, null when none): the message is
    /// delivered already, and the client may be told it was handled (XEP-0198) only once that completes.
    /// </summary>
    public ValueTask<Task?> FromClientAsync(Stanza stanza, ClientSession origin, CancellationToken cancellationToken)
    {
        if (stanza.Kind == StanzaKind.Message && stanza.To is null)
        {
            // RFC 6120 §10.3.1: a message without 'to' is for the sender's own bare JID.
            stanza = new Stanza(stanza.Element.SetAttribute("to", origin.BareJid.ToString()), stanza.Kind, stanza.From, origin.BareJid);
        }

        var routed = new RoutedStanza(stanza, StanzaOrigin.Client) { Session = origin };
        if (stanza.Kind == StanzaKind.Presence)
        {
            // What a client announces is the presence module's to fan out; the stanzas it makes come back here.
            resolver.ClassifySender(routed);
            return RunAsync(routed, RoutingEventNames.PresenceOutbound, cancellationToken);
        }

        resolver.Classify(routed);
        return RunAsync(routed, RoutingEventNames.For(routed.Stanza.Kind, routed.Target), cancellationToken);
    }

    /// <summary>
    /// A stanza received from a peer server over an authenticated link, in jabber:client form, its
    /// 'from' already checked to lie in <paramref name="peerDomain"/>. Server-to-server streams carry
    /// no acknowledgements, so nothing waits for the archive rows it caused: the link reads on.
    /// </summary>
    public async ValueTask FromPeerAsync(Stanza stanza, string peerDomain, CancellationToken cancellationToken)
    {
        var routed = new RoutedStanza(stanza, StanzaOrigin.Peer) { PeerDomain = peerDomain };
        resolver.Classify(routed);
        if (await RunAsync(routed, RoutingEventNames.For(routed.Stanza.Kind, routed.Target), cancellationToken).ConfigureAwait(false) is { } write)
        {
            _ = ObserveAsync(write);
        }
    }

    /// <summary>A stanza the server makes itself (a reply, a bounce, a presence broadcast), routed like any other.</summary>
    public ValueTask RouteAsync(Stanza stanza, CancellationToken cancellationToken) =>
        RouteAsync(new RoutedStanza(stanza, StanzaOrigin.Internal), cancellationToken);

    /// <summary>Routes a stanza and returns once whatever it caused to be stored is committed (the legacy door answers its SMSC or mail sender then).</summary>
    public async ValueTask RouteAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        resolver.Classify(routed);
        if (await RunAsync(routed, RoutingEventNames.For(routed.Stanza.Kind, routed.Target), cancellationToken).ConfigureAwait(false) is { } write)
        {
            await write.ConfigureAwait(false);
        }
    }

    /// <summary>Sends a stanza already classified on along another event (technology selection: to the legacy route).</summary>
    public async ValueTask RerouteAsync(RoutedStanza routed, string eventName, CancellationToken cancellationToken)
    {
        if (!await Events.FireAsync(eventName, routed, cancellationToken).ConfigureAwait(false))
        {
            await UnhandledAsync(routed, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Fires the event; returns the storing the handlers started and did not wait for (<see cref="RoutedStanza.PendingWrite"/>).</summary>
    private async ValueTask<Task?> RunAsync(RoutedStanza routed, string eventName, CancellationToken cancellationToken)
    {
        var handled = Events.FireAsync(eventName, routed, cancellationToken);
        if (!(handled.IsCompletedSuccessfully ? handled.Result : await handled.ConfigureAwait(false)))
        {
            await UnhandledAsync(routed, cancellationToken).ConfigureAwait(false);
        }

        return routed.PendingWrite;
    }

    /// <summary>A write nobody waits for: a peer's stanza has no acknowledgement to withhold, but its loss is logged.</summary>
    private async Task ObserveAsync(Task write)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPeerWriteFailed(logger, e);
        }
    }

    [LoggerMessage(EventId = 211, Level = LogLevel.Error, Message = "A message from a peer was delivered but its archive rows could not be stored")]
    private static partial void LogPeerWriteFailed(ILogger logger, Exception exception);

    /// <summary>Nobody took it: presence and errors vanish (RFC 6121 §8.5), the rest is service-unavailable.</summary>
    private ValueTask UnhandledAsync(RoutedStanza routed, CancellationToken cancellationToken)
    {
        var stanza = routed.Stanza;
        if (stanza.Kind == StanzaKind.Presence
            || (stanza.Kind == StanzaKind.Message && routed.Target is RouteTarget.Host or RouteTarget.Service && stanza.Type is "groupchat" or "headline"))
        {
            return ValueTask.CompletedTask;
        }

        return RefuseAsync(routed, "service-unavailable", null, cancellationToken);
    }

    /// <summary>
    /// Answers a routed stanza with an error from the address its sender wrote (a number, not the
    /// account or peer it resolved to: the sender never learns what is behind an address).
    /// </summary>
    /// <param name="type">The error type where it is not the condition's customary one.</param>
    public ValueTask RefuseAsync(RoutedStanza routed, string condition, string? text, CancellationToken cancellationToken, XmlElement? appCondition = null, string? type = null)
    {
        var stanza = routed.Stanza;
        if (routed.AddressedAs is { } written)
        {
            stanza = new Stanza(stanza.Element.Clone().SetAttribute("to", written.ToString()), stanza.Kind, stanza.From, written);
        }

        if (routed.Session is { } origin && appCondition is not null)
        {
            origin.Send(StanzaError.ReplyTo(stanza.Element, condition, text, appCondition, type));
            return ValueTask.CompletedTask;
        }

        return BounceAsync(stanza, condition, type ?? StanzaError.TypeOf(condition), text, cancellationToken);
    }

    /// <summary>Returns a stanza to its sender with an error, unless it is itself an error (no error loops).</summary>
    public ValueTask BounceAsync(Stanza stanza, string condition, string? text, CancellationToken cancellationToken) =>
        BounceAsync(stanza, condition, StanzaError.TypeOf(condition), text, cancellationToken);

    /// <param name="type">The error type, where it is not the condition's customary one (RFC 6120 §8.3.2).</param>
    public ValueTask BounceAsync(Stanza stanza, string condition, string type, string? text, CancellationToken cancellationToken)
    {
        if (stanza.Type == "error" || stanza.From is null || (stanza.Kind == StanzaKind.Iq && stanza.Type == "result"))
        {
            return ValueTask.CompletedTask;
        }

        var reply = StanzaError.ReplyTo(stanza.Element, condition, text, type: type);
        if (sessions.Find(stanza.From) is { } origin)
        {
            origin.Send(reply);
            return ValueTask.CompletedTask;
        }

        if (stanza.From.Domain == domain)
        {
            return ValueTask.CompletedTask; // the local sender is gone (or a legacy address): nobody to tell
        }

        return RouteAsync(new Stanza(reply, stanza.Kind, stanza.To, stanza.From), cancellationToken);
    }

    /// <summary>Sends an IQ reply (result or error) back to whoever sent the request.</summary>
    internal ValueTask ReplyAsync(XmlElement reply, IqContext request)
    {
        var to = reply.GetAttribute("to");
        if (request.Origin is { } origin && (to is null || to == origin.FullJid.ToString()))
        {
            origin.Send(reply);
            return ValueTask.CompletedTask;
        }

        if (!Jid.TryParse(to, out var toJid) || !Stanza.TryGetKind(reply, out var kind))
        {
            return ValueTask.CompletedTask;
        }

        Jid.TryParse(reply.GetAttribute("from"), out var fromJid);
        return RouteAsync(new Stanza(reply, kind, fromJid ?? Jid.Parse(domain), toJid), CancellationToken.None);
    }
}

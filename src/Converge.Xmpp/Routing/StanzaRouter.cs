using Converge.Core.Addressing;
using Converge.Core.Federation;
using Converge.Core.Interworking;
using Converge.Xmpp.Client;
using Converge.Xmpp.Federation;
using Converge.Xmpp.Im;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Routing;

/// <summary>
/// The one routing step. Every stanza, whichever door it came in by, passes here and is either
/// handled by the server (an IQ handler), delivered to local sessions or storage (presence and
/// message rules of RFC 6121), or handed to the remote route. Features hook in through the IQ
/// table and the modules; they do not open side doors.
/// </summary>
internal sealed partial class StanzaRouter(ServerContext server)
{
    public IqHandlerTable Iq { get; } = new();

    public IRemoteRoute? Remote { get; set; }

    /// <summary>The interworking function (SMS, email); null when none is configured.</summary>
    public ILegacyGateway? Legacy { get; set; }

    /// <summary>A stanza sent by a local client, 'from' already stamped with its full JID.</summary>
    public async ValueTask FromClientAsync(Stanza stanza, ClientSession origin, CancellationToken cancellationToken)
    {
        if (stanza.To is not null && await server.Blocking.IsBlockedAsync(origin.BareJid, stanza.To, cancellationToken).ConfigureAwait(false))
        {
            // XEP-0191 §3.5: the user tries to talk to someone they blocked.
            if (stanza.Kind != StanzaKind.Presence && stanza.Type != "error")
            {
                origin.Send(StanzaError.ReplyTo(stanza.Element, "not-acceptable", "You have blocked this contact.",
                    new XmlElement("blocked", Namespaces.BlockingErrors)));
            }

            return;
        }

        switch (stanza.Kind)
        {
            case StanzaKind.Presence:
                await server.Presence.FromClientAsync(stanza, origin, cancellationToken).ConfigureAwait(false);
                return;
            case StanzaKind.Iq when stanza.To is null || stanza.To == origin.BareJid:
                await HandleIqAsync(stanza, IqTarget.Account, origin).ConfigureAwait(false);
                return;
            case StanzaKind.Message when stanza.To is null:
                // RFC 6120 §10.3.1: a message without 'to' is for the sender's own bare JID.
                await FromClientAsync(new Stanza(stanza.Element.SetAttribute("to", origin.BareJid.ToString()), stanza.Kind, stanza.From, origin.BareJid), origin, cancellationToken).ConfigureAwait(false);
                return;
            case StanzaKind.Message:
                // The sender's own archive and other resources get it (XEP-0313, XEP-0280). The archive
                // write is queued before delivery and awaited after it, so that it shares one grouped
                // commit with the recipient's copy instead of costing a commit of its own first; the
                // session still learns of (and acknowledges) the message only once it is stored.
                var archived = await server.Archive.QueueOutgoingAsync(origin.BareJid, stanza.To!, stanza.Element, cancellationToken).ConfigureAwait(false);
                try
                {
                    server.Carbons.CopySent(origin, stanza.Element);
                    await DeliverAsync(stanza, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    if (archived is not null)
                    {
                        await archived.ConfigureAwait(false);
                    }
                }

                return;
            default:
                await DeliverAsync(stanza, cancellationToken).ConfigureAwait(false);
                return;
        }
    }

    /// <summary>
    /// A stanza received from a peer server over an authenticated link, in jabber:client form, its
    /// 'from' already checked to lie in <paramref name="peerDomain"/>. The agreement is enforced on
    /// what comes in as well as on what goes out.
    /// </summary>
    public async ValueTask FromPeerAsync(Stanza stanza, string peerDomain, CancellationToken cancellationToken)
    {
        var book = server.Agreements;
        var feature = StanzaFeature.Of(stanza);
        if (!book.MayLink(peerDomain) || (feature != InterconnectionFeature.None && !book.Allows(peerDomain, feature)))
        {
            server.Refusals.In(peerDomain);
            LogRefusedInbound(server.Logger, peerDomain, feature.ToString());
            if (feature != InterconnectionFeature.Presence)
            {
                await BounceAsync(stanza, "not-allowed", $"The interconnection agreement with {server.Domain} does not include {feature}.", cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        // A number of the peer's range is shown to our users under our own domain, the address they
        // used to reach it (seed 000: the sender never has to know the provider).
        var from = stanza.From!;
        if (E164.IsE164Localpart(from.Local) && book.RouteNumber(from.Local!) is { Kind: NumberRouteKind.Peer } route && route.Domain == peerDomain)
        {
            var local = Jid.Create(from.Local, server.Domain, from.Resource);
            stanza = new Stanza(stanza.Element.SetAttribute("from", local.ToString()), stanza.Kind, local, stanza.To);
        }

        await DeliverAsync(stanza, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Routes a stanza with 'from' and 'to' set: to local recipients, or over the interconnection.</summary>
    public async ValueTask DeliverAsync(Stanza stanza, CancellationToken cancellationToken)
    {
        var to = stanza.To!;
        if (to.Domain == server.Domain && E164.IsE164Localpart(to.Local))
        {
            if (await ResolveNumberAsync(stanza, cancellationToken).ConfigureAwait(false) is not { } resolved)
            {
                return;
            }

            stanza = resolved;
            to = stanza.To!;
        }

        if (stanza.From is { } from && from.Domain == server.Domain && from.Local is not null && !E164.IsE164Localpart(from.Local)
            && server.Accounts.Find(from.Bare) is { Msisdn: { } msisdn }
            && await server.NumberAliases.KnowsByNumberAsync(from.Bare, to.Bare, cancellationToken).ConfigureAwait(false))
        {
            // The contact knows this subscriber by number: everything to it comes from that address.
            var alias = Jid.Create(msisdn, server.Domain, from.Resource);
            stanza = new Stanza(stanza.Element.Clone().SetAttribute("from", alias.ToString()), stanza.Kind, alias, to);
        }

        if (to.Domain == server.SearchDomain && to.Local is null)
        {
            if (stanza.Kind == StanzaKind.Iq)
            {
                await HandleIqAsync(stanza, IqTarget.Search, server.Sessions.Find(stanza.From!)).ConfigureAwait(false);
            }

            return;
        }

        if (to.Domain != server.Domain)
        {
            await DeliverRemoteAsync(stanza, cancellationToken).ConfigureAwait(false);
            return;
        }

        await DeliverLocalAsync(stanza, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// +E164@ourdomain: a subscriber of ours with that number (remembering that the sender knows them by
    /// it), or a number in a peer's range (rewritten to the peer's domain). Null when it was answered here.
    /// </summary>
    private async ValueTask<Stanza?> ResolveNumberAsync(Stanza stanza, CancellationToken cancellationToken)
    {
        var to = stanza.To!;
        if (server.Accounts.FindByMsisdn(to.Local!) is { } account)
        {
            if (stanza.From is { } from && from.Bare != account.Jid)
            {
                await server.NumberAliases.RememberAsync(account.Jid, from.Bare, cancellationToken).ConfigureAwait(false);
            }

            var target = account.Jid.WithResource(to.Resource);
            return new Stanza(stanza.Element.SetAttribute("to", target.ToString()), stanza.Kind, stanza.From, target);
        }

        if (server.Agreements.PeerAddressFor(to) is { } peer)
        {
            return new Stanza(stanza.Element.SetAttribute("to", peer.ToString()), stanza.Kind, stanza.From, peer);
        }

        return stanza; // no subscriber, no peer: local delivery answers (or, later, the interworking function)
    }

    private async ValueTask DeliverRemoteAsync(Stanza stanza, CancellationToken cancellationToken)
    {
        var domain = stanza.To!.Domain;
        var book = server.Agreements;
        var feature = StanzaFeature.Of(stanza);
        string? refusal = null;
        if (!book.MayLink(domain))
        {
            refusal = $"There is no interconnection agreement with {domain}.";
        }
        else if (feature != InterconnectionFeature.None && !book.Allows(domain, feature))
        {
            refusal = $"The interconnection agreement with {domain} does not include {feature}.";
        }

        if (refusal is not null)
        {
            server.Refusals.Out(domain);
            LogRefusedOutbound(server.Logger, domain, feature.ToString());
            if (feature != InterconnectionFeature.Presence)
            {
                await BounceAsync(stanza, "not-allowed", refusal, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var element = ExposureFilter.Apply(stanza.Element, book.ExposureFor(domain));
        if (!ReferenceEquals(element, stanza.Element))
        {
            stanza = new Stanza(element, stanza.Kind, stanza.From, stanza.To);
        }

        if (Remote is not null && await Remote.SendAsync(stanza, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await BounceAsync(stanza, "remote-server-not-found", $"The domain {domain} cannot be reached from here.", cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask DeliverLocalAsync(Stanza stanza, CancellationToken cancellationToken)
    {
        var to = stanza.To!;
        if (to.Local is null)
        {
            // Addressed to the server itself.
            if (stanza.Kind == StanzaKind.Iq && to.Resource is null)
            {
                await HandleIqAsync(stanza, IqTarget.Server, server.Sessions.Find(stanza.From!)).ConfigureAwait(false);
            }
            else if (stanza.Kind == StanzaKind.Message && stanza.Type is not ("error" or "groupchat" or "headline"))
            {
                await BounceAsync(stanza, "service-unavailable", null, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var bare = to.Bare;
        if (stanza.Kind == StanzaKind.Message && await TryInterworkAsync(stanza, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        if (!server.Accounts.Exists(bare))
        {
            // RFC 6121 §8.5.1: no such user. Presence is silently dropped, other stanzas bounce.
            if (stanza.Kind != StanzaKind.Presence)
            {
                await BounceAsync(stanza, "service-unavailable", null, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        if (stanza.From is not null && await server.Blocking.IsBlockedAsync(bare, stanza.From, cancellationToken).ConfigureAwait(false))
        {
            // XEP-0191 §3.4: nothing from a blocked entity reaches the user; messages and IQs bounce.
            if (stanza.Kind != StanzaKind.Presence)
            {
                await BounceAsync(stanza, "service-unavailable", null, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        switch (stanza.Kind)
        {
            case StanzaKind.Message:
                // Archived (and stamped with its stanza-id) before anyone sees it: stored first, then delivered.
                if (stanza.From is not null)
                {
                    await server.Archive.ArchiveIncomingAsync(bare, stanza.From, stanza.Element, cancellationToken).ConfigureAwait(false);
                }

                await server.Messages.DeliverAsync(stanza, cancellationToken).ConfigureAwait(false);
                break;
            case StanzaKind.Presence:
                await server.Presence.InboundAsync(stanza, cancellationToken).ConfigureAwait(false);
                break;
            case StanzaKind.Iq when to.Resource is null:
                await HandleIqAsync(stanza, IqTarget.Account, server.Sessions.Find(stanza.From!)).ConfigureAwait(false);
                break;
            case StanzaKind.Iq:
                var session = server.Sessions.Find(to);
                if (session is null || !session.Send(stanza.Element))
                {
                    await BounceAsync(stanza, "service-unavailable", null, cancellationToken).ConfigureAwait(false);
                }

                break;
        }
    }

    /// <summary>
    /// Technology selection on the routing step (CPM-IOP-003/005): a message for a number or email
    /// address that is nobody's account here, or for a subscriber whom XMPP cannot reach now, goes to
    /// the interworking function. True when it was taken (or refused with an error to the sender).
    /// </summary>
    private async ValueTask<bool> TryInterworkAsync(Stanza stanza, CancellationToken cancellationToken)
    {
        var to = stanza.To!;
        if (Legacy is null || stanza.Type is "error" or "groupchat" or "headline" || stanza.From is null || !IsInterworkable(stanza.Element))
        {
            return false;
        }

        LegacyChannel channel;
        string address;
        string reason;
        if (server.Accounts.Find(to.Bare) is { } account)
        {
            if (stanza.From.Domain == server.Domain && IsLegacyAddress(stanza.From))
            {
                return false; // from SMS or email to a subscriber: into XMPP, never back out again
            }

            var choice = TechnologySelector.ForSubscriber(
                account,
                server.Sessions.SessionsOf(account.Jid).Any(s => s.IsAvailable),
                server.LastSeen.OfflineFor(account.Jid),
                server.Options.SmsFallbackAfter,
                Legacy.Supports(LegacyChannel.Sms),
                Legacy.Supports(LegacyChannel.Email));
            if (choice.Technology is not (DeliveryTechnology.Sms or DeliveryTechnology.Email))
            {
                return false;
            }

            channel = choice.Technology == DeliveryTechnology.Sms ? LegacyChannel.Sms : LegacyChannel.Email;
            address = choice.Address!;
            reason = choice.Reason;
        }
        else if (E164.IsE164Localpart(to.Local))
        {
            (channel, address, reason) = (LegacyChannel.Sms, to.Local!, "a number that is no subscriber here nor in any agreement's range");
        }
        else if (EscapedEmail.FromLocalpart(to.Local) is { } email)
        {
            (channel, address, reason) = (LegacyChannel.Email, email, "an email address");
        }
        else
        {
            return false;
        }

        server.Interworked.Count(channel);
        if (!Legacy.Supports(channel))
        {
            await BounceAsync(stanza, "service-unavailable", $"{channel} interworking is not available here.", cancellationToken).ConfigureAwait(false);
            return true;
        }

        LogInterworked(server.Logger, stanza.From.Bare.ToString(), to.ToString(), channel.ToString(), reason);
        if (!await Legacy.AcceptAsync(new LegacyMessage(channel, address, stanza.From, to, stanza.Element), cancellationToken).ConfigureAwait(false))
        {
            await BounceAsync(stanza, "not-acceptable", $"The message cannot be sent by {channel}.", cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    private static bool IsLegacyAddress(Jid jid) => E164.IsE164Localpart(jid.Local) || EscapedEmail.FromLocalpart(jid.Local) is not null;

    /// <summary>Text messages and session negotiation travel; chat states and receipts alone do not.</summary>
    private static bool IsInterworkable(XmlElement message) =>
        message.Element("body", Namespaces.Client) is not null || message.Element("feature", StanzaFeature.FeatureNegotiation) is not null;

    /// <summary>A stanza from the interworking function (an SMS or email turned into XMPP), routed like any other.</summary>
    public ValueTask FromLegacyAsync(Stanza stanza, CancellationToken cancellationToken) => DeliverAsync(stanza, cancellationToken);

    private async ValueTask HandleIqAsync(Stanza stanza, IqTarget target, ClientSession? origin)
    {
        var type = stanza.Type;
        if (type is "result" or "error")
        {
            // Answers to the server's own requests (roster pushes, idle pings): the read loop has
            // already noted that the client is alive; nothing else waits for them.
            return;
        }

        var payload = stanza.Element.FirstElement();
        var context = payload is null ? null : new IqContext(this, stanza, origin);
        if (type is not ("get" or "set") || payload is null || CountElements(stanza.Element) != 1)
        {
            // RFC 6120 §8.2.3: get/set carry exactly one payload.
            var error = StanzaError.ReplyTo(stanza.Element, "bad-request", "An IQ get or set carries exactly one payload element.");
            await ReplyAsync(error, origin).ConfigureAwait(false);
            return;
        }

        var handler = Iq.Find(target, payload.Name, payload.Namespace);
        if (handler is null)
        {
            await context!.ErrorAsync("service-unavailable").ConfigureAwait(false);
            return;
        }

        try
        {
            await handler(context!).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogHandlerFailed(server.Logger, payload.Namespace, e);
            await context!.ErrorAsync("internal-server-error").ConfigureAwait(false);
        }
    }

    private static int CountElements(XmlElement element)
    {
        var n = 0;
        foreach (var child in element.Children)
        {
            if (child is XmlElement)
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>Sends a reply (result or error) back to whoever sent the request.</summary>
    internal ValueTask ReplyAsync(XmlElement reply, IqContext request) => ReplyAsync(reply, request.Origin);

    private ValueTask ReplyAsync(XmlElement reply, ClientSession? origin)
    {
        var to = reply.GetAttribute("to");
        if (origin is not null && (to is null || to == origin.FullJid.ToString()))
        {
            origin.Send(reply);
            return ValueTask.CompletedTask;
        }

        if (!Jid.TryParse(to, out var toJid) || !Stanza.TryGetKind(reply, out var kind))
        {
            return ValueTask.CompletedTask;
        }

        Jid.TryParse(reply.GetAttribute("from"), out var fromJid);
        return DeliverAsync(new Stanza(reply, kind, fromJid ?? server.DomainJid, toJid), CancellationToken.None);
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
        var origin = server.Sessions.Find(stanza.From);
        if (origin is not null)
        {
            origin.Send(reply);
            return ValueTask.CompletedTask;
        }

        if (stanza.From.Domain == server.Domain)
        {
            return ValueTask.CompletedTask; // the local sender is gone; nobody to tell
        }

        return DeliverAsync(new Stanza(reply, stanza.Kind, stanza.To, stanza.From), cancellationToken);
    }

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Refused a stanza from {Domain}: the agreement does not allow {Feature}")]
    private static partial void LogRefusedInbound(ILogger logger, string domain, string feature);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "Refused a stanza to {Domain}: the agreement does not allow {Feature}")]
    private static partial void LogRefusedOutbound(ILogger logger, string domain, string feature);

    [LoggerMessage(EventId = 203, Level = LogLevel.Information, Message = "Message from {Sender} to {Recipient} goes by {Channel}: {Reason}")]
    private static partial void LogInterworked(ILogger logger, string sender, string recipient, string channel, string reason);

    [LoggerMessage(EventId = 200, Level = LogLevel.Error, Message = "The handler for IQ payload {Namespace} failed")]
    private static partial void LogHandlerFailed(ILogger logger, string @namespace, Exception exception);
}

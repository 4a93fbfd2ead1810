using System.Globalization;
using Converge.Core.Addressing;
using Converge.Core.Roster;
using Converge.Core.Storage;
using Converge.Xmpp.Client;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Im;

/// <summary>
/// Presence (RFC 6121 §4) and subscriptions (§3): broadcast to subscribers, probes, directed
/// presence, and the subscription state machine applied on both the user's and the contact's side.
/// </summary>
internal sealed class PresenceModule(IRosterStore rosters, SessionRegistry sessions, Server.AccountDirectory accounts, BlockingModule blocking, RosterPusher pushes, MessageModule messages, StanzaRouter router, string domain)
{
    /// <summary>A presence stanza sent by a local client.</summary>
    public async ValueTask FromClientAsync(Stanza stanza, ClientSession origin, CancellationToken cancellationToken)
    {
        var type = stanza.Type;
        if (SubscriptionStanzaOf(type) is { } kind)
        {
            if (stanza.To is null || stanza.To.Local is null)
            {
                origin.Send(StanzaError.ReplyTo(stanza.Element, "jid-malformed", "A subscription request needs a contact address."));
                return;
            }

            await OutboundSubscriptionAsync(origin.BareJid, stanza.To.Bare, kind, stanza.Element, cancellationToken).ConfigureAwait(false);
            return;
        }

        switch (type)
        {
            case null when stanza.To is null:
                await BroadcastAvailableAsync(origin, stanza.Element, cancellationToken).ConfigureAwait(false);
                return;
            case "unavailable" when stanza.To is null:
                await BroadcastUnavailableAsync(origin, stanza.Element, cancellationToken).ConfigureAwait(false);
                return;
            case null or "unavailable":
                // Directed presence (§4.6): remembered so the target hears when we go offline.
                if (type is null)
                {
                    origin.DirectedPresence.Add(stanza.To!);
                }
                else
                {
                    origin.DirectedPresence.Remove(stanza.To!);
                }

                await router.RouteAsync(stanza, cancellationToken).ConfigureAwait(false);
                return;
            case "error" when stanza.To is not null:
                await router.RouteAsync(stanza, cancellationToken).ConfigureAwait(false);
                return;
            case "probe":
                return; // probes are the server's business (§4.3); a client's is ignored
            default:
                origin.Send(StanzaError.ReplyTo(stanza.Element, "bad-request", "Unknown presence type."));
                return;
        }
    }

    /// <summary>A presence stanza for a local user (from a local or remote entity), blocking already checked.</summary>
    public async ValueTask InboundAsync(Stanza stanza, CancellationToken cancellationToken)
    {
        var to = stanza.To!;
        var from = stanza.From!;
        var type = stanza.Type;
        if (SubscriptionStanzaOf(type) is { } kind)
        {
            await InboundSubscriptionAsync(to.Bare, from.Bare, kind, stanza.Element, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (type == "probe")
        {
            await AnswerProbeAsync(to.Bare, from, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (to.Resource is not null)
        {
            sessions.Find(to)?.Send(stanza.Element);
            return;
        }

        foreach (var session in sessions.SessionsOf(to))
        {
            if (session.IsAvailable)
            {
                session.Send(stanza.Element);
            }
        }
    }

    /// <summary>The client's connection ended without unavailable presence: tell everyone it is gone (§4.5.2).</summary>
    public ValueTask SessionEndedAsync(ClientSession session, CancellationToken cancellationToken)
    {
        var unavailable = new XmlElement("presence", Namespaces.Client).SetAttribute("type", "unavailable");
        return BroadcastUnavailableAsync(session, unavailable, cancellationToken);
    }

    private async ValueTask BroadcastAvailableAsync(ClientSession origin, XmlElement presence, CancellationToken cancellationToken)
    {
        var priority = 0;
        var priorityText = presence.ChildText("priority", Namespaces.Client);
        if (priorityText is not null
            && (!int.TryParse(priorityText.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out priority) || priority is < -128 or > 127))
        {
            origin.Send(StanzaError.ReplyTo(presence, "bad-request", "Priority must be an integer from -128 to 127."));
            return;
        }

        var initial = !origin.IsAvailable;
        presence.SetAttribute("from", origin.FullJid.ToString());
        origin.Priority = priority;
        origin.Presence = presence;
        await sessions.PresenceChangedAsync(origin).ConfigureAwait(false);

        var (items, _) = await rosters.GetAsync(origin.BareJid, cancellationToken).ConfigureAwait(false);
        foreach (var item in items)
        {
            // A contact the user blocks is skipped by the routing step's block check (XEP-0191 §3.4).
            if (SubscriptionStateMachine.SendsPresenceToContact(item.State))
            {
                await SendPresenceAsync(presence, origin.FullJid, item.Contact, cancellationToken).ConfigureAwait(false);
            }
        }

        // The user's own resources, the sender included, see the new presence (§4.2.2, §4.4.2).
        foreach (var own in sessions.SessionsOf(origin.BareJid))
        {
            if (own.IsAvailable)
            {
                own.Send(presence);
            }
        }

        if (!initial)
        {
            return;
        }

        // Initial presence: learn the contacts' presence (§4.3), see the other own resources,
        // and get what waited while offline: subscription requests (§3.1.3) and messages (XEP-0160).
        foreach (var other in sessions.SessionsOf(origin.BareJid))
        {
            if (!ReferenceEquals(other, origin) && other.Presence is { } p)
            {
                origin.Send(p);
            }
        }

        foreach (var item in items)
        {
            if (SubscriptionStateMachine.ReceivesPresenceFromContact(item.State))
            {
                await ProbeAsync(origin, item.Contact, cancellationToken).ConfigureAwait(false);
            }

            if (SubscriptionStateMachine.PendingIn(item.State))
            {
                origin.Send(new XmlElement("presence", Namespaces.Client)
                    .SetAttribute("type", "subscribe")
                    .SetAttribute("from", item.Contact.ToString())
                    .SetAttribute("to", origin.BareJid.ToString()));
            }
        }

        if (priority >= 0)
        {
            await messages.DeliverOfflineAsync(origin, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask BroadcastUnavailableAsync(ClientSession origin, XmlElement presence, CancellationToken cancellationToken)
    {
        if (!origin.IsAvailable && origin.DirectedPresence.Count == 0)
        {
            return;
        }

        presence.SetAttribute("from", origin.FullJid.ToString());
        var wasAvailable = origin.IsAvailable;
        origin.Presence = null;
        await sessions.PresenceChangedAsync(origin).ConfigureAwait(false);
        if (wasAvailable)
        {
            var (items, _) = await rosters.GetAsync(origin.BareJid, cancellationToken).ConfigureAwait(false);
            foreach (var item in items)
            {
                if (SubscriptionStateMachine.SendsPresenceToContact(item.State))
                {
                    origin.DirectedPresence.Remove(item.Contact);
                    await SendPresenceAsync(presence, origin.FullJid, item.Contact, cancellationToken).ConfigureAwait(false);
                }
            }

            foreach (var own in sessions.SessionsOf(origin.BareJid))
            {
                if (own.IsAvailable || ReferenceEquals(own, origin))
                {
                    own.Send(presence);
                }
            }
        }

        foreach (var target in origin.DirectedPresence)
        {
            await SendPresenceAsync(presence, origin.FullJid, target, cancellationToken).ConfigureAwait(false);
        }

        origin.DirectedPresence.Clear();
    }

    private ValueTask SendPresenceAsync(XmlElement presence, Jid from, Jid to, CancellationToken cancellationToken)
    {
        var copy = presence.Clone().SetAttribute("from", from.ToString()).SetAttribute("to", to.ToString());
        return router.RouteAsync(new Stanza(copy, StanzaKind.Presence, from, to), cancellationToken);
    }

    /// <summary>Asks for a contact's current presence on behalf of a user's new resource.</summary>
    private async ValueTask ProbeAsync(ClientSession origin, Jid contact, CancellationToken cancellationToken)
    {
        if (contact.Domain == domain)
        {
            // A local contact: answer from the session table directly, no probe stanza needed. A
            // contact added by number is a subscriber of ours under another name: their block list
            // decides, and the answer comes from the number.
            var subscriber = E164.IsE164Localpart(contact.Local) && accounts.FindByMsisdn(contact.Local!) is { } account ? account.Jid : contact;
            if (await blocking.IsBlockedAsync(subscriber, origin.BareJid, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            foreach (var s in sessions.SessionsOf(subscriber))
            {
                if (s.Presence is { } p)
                {
                    var from = ReferenceEquals(subscriber, contact) ? s.FullJid : contact.WithResource(s.FullJid.Resource);
                    origin.Send(p.Clone().SetAttribute("from", from.ToString()).SetAttribute("to", origin.FullJid.ToString()));
                }
            }

            return;
        }

        var probe = new XmlElement("presence", Namespaces.Client)
            .SetAttribute("type", "probe")
            .SetAttribute("from", origin.BareJid.ToString())
            .SetAttribute("to", contact.ToString());
        await router.RouteAsync(new Stanza(probe, StanzaKind.Presence, origin.BareJid, contact), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A (remote) contact asks for a user's presence (§4.3.2): answered only to subscribers.</summary>
    private async ValueTask AnswerProbeAsync(Jid user, Jid prober, CancellationToken cancellationToken)
    {
        var item = await rosters.GetItemAsync(user, prober.Bare, cancellationToken).ConfigureAwait(false);
        if (item is null || !SubscriptionStateMachine.SendsPresenceToContact(item.State))
        {
            return;
        }

        var any = false;
        foreach (var s in sessions.SessionsOf(user))
        {
            if (s.Presence is { } p)
            {
                any = true;
                await SendPresenceAsync(p, s.FullJid, prober, cancellationToken).ConfigureAwait(false);
            }
        }

        if (!any)
        {
            var unavailable = new XmlElement("presence", Namespaces.Client).SetAttribute("type", "unavailable");
            await SendPresenceAsync(unavailable, user, prober, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The user sends subscribe/subscribed/unsubscribe/unsubscribed to a contact (§3, Appendix A.2).</summary>
    public async ValueTask OutboundSubscriptionAsync(Jid user, Jid contact, SubscriptionStanza kind, XmlElement original, CancellationToken cancellationToken)
    {
        var item = await rosters.GetItemAsync(user, contact, cancellationToken).ConfigureAwait(false);
        var state = item?.State ?? SubscriptionState.None;
        var approved = item?.Approved ?? false;
        var t = SubscriptionStateMachine.Outbound(state, approved, kind);

        if (t.StateChanged)
        {
            var updated = (item ?? new RosterItem(contact, null, [], SubscriptionState.None)) with
            {
                State = t.NewState,
                Approved = t.ApprovedAfter(approved),
                InRoster = item?.InRoster == true || kind == SubscriptionStanza.Subscribe || t.NewState != SubscriptionState.None || t.SetApproval,
            };
            var version = await rosters.SetItemAsync(user, updated, cancellationToken).ConfigureAwait(false);
            if (updated.InRoster)
            {
                pushes.Push(user, updated, version);
            }
        }

        if (t.SendUnavailableToContact)
        {
            await SendAllResourcesAsync(user, contact, available: false, cancellationToken).ConfigureAwait(false);
        }

        if (t.Deliver)
        {
            var stanza = new XmlElement("presence", Namespaces.Client)
                .SetAttribute("type", TypeOf(kind))
                .SetAttribute("from", user.ToString())
                .SetAttribute("to", contact.ToString());
            foreach (var child in original.Elements())
            {
                stanza.Add(child.Clone()); // e.g. a nickname (XEP-0172) or a status text with the request
            }

            await router.RouteAsync(new Stanza(stanza, StanzaKind.Presence, user, contact), cancellationToken).ConfigureAwait(false);
        }

        if (t.SendPresenceToContact)
        {
            await SendAllResourcesAsync(user, contact, available: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A contact's subscription stanza arrives for a local user (Appendix A.3).</summary>
    private async ValueTask InboundSubscriptionAsync(Jid user, Jid contact, SubscriptionStanza kind, XmlElement original, CancellationToken cancellationToken)
    {
        var item = await rosters.GetItemAsync(user, contact, cancellationToken).ConfigureAwait(false);
        var state = item?.State ?? SubscriptionState.None;
        var approved = item?.Approved ?? false;
        var t = SubscriptionStateMachine.Inbound(state, approved, kind);

        if (t.StateChanged)
        {
            var updated = (item ?? new RosterItem(contact, null, [], SubscriptionState.None, InRoster: false)) with
            {
                State = t.NewState,
                Approved = t.ApprovedAfter(approved),
            };

            // A pending-in request from someone the user never added stays out of the roster (§3.1.3);
            // an item that ends with no subscription and was never added is forgotten.
            long version;
            if (!updated.InRoster && updated.State == SubscriptionState.None && !updated.Approved)
            {
                version = await rosters.RemoveItemAsync(user, contact, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                version = await rosters.SetItemAsync(user, updated, cancellationToken).ConfigureAwait(false);
            }

            if (updated.InRoster)
            {
                pushes.Push(user, updated, version);
            }
        }

        if (t.SendUnavailableToContact)
        {
            await SendAllResourcesAsync(user, contact, available: false, cancellationToken).ConfigureAwait(false);
        }

        if (t.AutoReplySubscribed)
        {
            var reply = new XmlElement("presence", Namespaces.Client)
                .SetAttribute("type", "subscribed")
                .SetAttribute("from", user.ToString())
                .SetAttribute("to", contact.ToString());
            await router.RouteAsync(new Stanza(reply, StanzaKind.Presence, user, contact), cancellationToken).ConfigureAwait(false);
        }

        if (t.SendPresenceToContact || t.AutoReplySubscribed)
        {
            await SendAllResourcesAsync(user, contact, available: true, cancellationToken).ConfigureAwait(false);
        }

        if (t.Deliver)
        {
            var copy = original.Clone().SetAttribute("from", contact.ToString()).SetAttribute("to", user.ToString());
            foreach (var session in sessions.SessionsOf(user))
            {
                if (session.IsAvailable)
                {
                    session.Send(copy);
                }
            }
        }
    }

    /// <summary>Sends the current presence (or unavailable) of each of the user's resources to a contact.</summary>
    private async ValueTask SendAllResourcesAsync(Jid user, Jid contact, bool available, CancellationToken cancellationToken)
    {
        foreach (var s in sessions.SessionsOf(user))
        {
            if (s.Presence is not { } p)
            {
                continue;
            }

            var presence = available ? p : new XmlElement("presence", Namespaces.Client).SetAttribute("type", "unavailable");
            await SendPresenceAsync(presence, s.FullJid, contact, cancellationToken).ConfigureAwait(false);
        }
    }

    private static SubscriptionStanza? SubscriptionStanzaOf(string? type) => type switch
    {
        "subscribe" => SubscriptionStanza.Subscribe,
        "subscribed" => SubscriptionStanza.Subscribed,
        "unsubscribe" => SubscriptionStanza.Unsubscribe,
        "unsubscribed" => SubscriptionStanza.Unsubscribed,
        _ => null,
    };

    private static string TypeOf(SubscriptionStanza kind) => kind switch
    {
        SubscriptionStanza.Subscribe => "subscribe",
        SubscriptionStanza.Subscribed => "subscribed",
        SubscriptionStanza.Unsubscribe => "unsubscribe",
        _ => "unsubscribed",
    };
}

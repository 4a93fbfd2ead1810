using Converge.Core.Addressing;
using Converge.Core.Roster;
using Converge.Core.Storage;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Im;

/// <summary>Roster get and set (RFC 6121 §2) with versioning (§2.6).</summary>
internal sealed class RosterModule(IRosterStore rosters, PresenceModule presence, RosterPusher pushes)
{
    private const int MaxNameLength = 1024;
    private const int MaxGroups = 64;

    public void Register(IqHandlerTable iq)
    {
        iq.Register(IqTarget.Account, "query", Namespaces.Roster, HandleAsync);
    }

    private async ValueTask HandleAsync(IqContext context)
    {
        if (!context.IsOwnAccount || context.Origin is null)
        {
            // §2.1.5: only the user may see or change their roster.
            await context.ErrorAsync("forbidden").ConfigureAwait(false);
            return;
        }

        if (context.IsSet)
        {
            await SetAsync(context).ConfigureAwait(false);
        }
        else
        {
            await GetAsync(context).ConfigureAwait(false);
        }
    }

    private async ValueTask GetAsync(IqContext context)
    {
        var session = context.Origin!;
        pushes.Subscribe(session);
        var (items, version) = await rosters.GetAsync(session.BareJid).ConfigureAwait(false);
        var ver = RosterVersion.Format(version);
        if (context.Payload.GetAttribute("ver") == ver)
        {
            // §2.6.3: the client's copy is current; an empty result tells it so.
            await context.ResultAsync().ConfigureAwait(false);
            return;
        }

        var query = new XmlElement("query", Namespaces.Roster).SetAttribute("ver", ver);
        foreach (var item in items)
        {
            if (item.InRoster)
            {
                query.Add(RosterPusher.ToXml(item));
            }
        }

        await context.ResultAsync(query).ConfigureAwait(false);
    }

    private async ValueTask SetAsync(IqContext context)
    {
        var owner = context.Origin!.BareJid;
        var items = context.Payload.Elements("item", Namespaces.Roster).ToList();
        if (items.Count != 1)
        {
            await context.ErrorAsync("bad-request", "A roster set carries exactly one item.").ConfigureAwait(false);
            return;
        }

        var itemXml = items[0];
        if (!Jid.TryParse(itemXml.GetAttribute("jid"), out var jid))
        {
            await context.ErrorAsync("jid-malformed").ConfigureAwait(false);
            return;
        }

        var contact = jid.Bare;
        var existing = await rosters.GetItemAsync(owner, contact).ConfigureAwait(false);
        if (itemXml.GetAttribute("subscription") == "remove")
        {
            await RemoveAsync(context, owner, contact, existing).ConfigureAwait(false);
            return;
        }

        var name = itemXml.GetAttribute("name");
        var groups = new List<string>();
        foreach (var g in itemXml.Elements("group", Namespaces.Roster))
        {
            var group = g.Text;
            if (group.Length == 0)
            {
                await context.ErrorAsync("not-acceptable", "A group name cannot be empty.").ConfigureAwait(false);
                return;
            }

            if (groups.Contains(group, StringComparer.Ordinal))
            {
                await context.ErrorAsync("bad-request", "A group is listed twice.").ConfigureAwait(false);
                return;
            }

            groups.Add(group);
        }

        if (name?.Length > MaxNameLength || groups.Count > MaxGroups || groups.Exists(g => g.Length > MaxNameLength))
        {
            await context.ErrorAsync("not-acceptable", "The item name or groups are too long.").ConfigureAwait(false);
            return;
        }

        // §2.1.2.5: subscription and ask are the server's to decide; only name and groups change here.
        var updated = (existing ?? new RosterItem(contact, null, [], SubscriptionState.None)) with
        {
            Name = string.IsNullOrEmpty(name) ? null : name,
            Groups = groups,
            InRoster = true,
        };
        var version = await rosters.SetItemAsync(owner, updated).ConfigureAwait(false);
        await context.ResultAsync().ConfigureAwait(false);
        pushes.Push(owner, updated, version);
    }

    private async ValueTask RemoveAsync(IqContext context, Jid owner, Jid contact, RosterItem? existing)
    {
        if (existing is null || !existing.InRoster)
        {
            await context.ErrorAsync("item-not-found").ConfigureAwait(false);
            return;
        }

        // §2.5.2: removing an item cancels the subscriptions both ways.
        if (SubscriptionStateMachine.ReceivesPresenceFromContact(existing.State) || SubscriptionStateMachine.PendingOut(existing.State))
        {
            await presence.OutboundSubscriptionAsync(owner, contact, SubscriptionStanza.Unsubscribe, new XmlElement("presence", Namespaces.Client), CancellationToken.None).ConfigureAwait(false);
        }

        if (SubscriptionStateMachine.SendsPresenceToContact(existing.State) || SubscriptionStateMachine.PendingIn(existing.State))
        {
            await presence.OutboundSubscriptionAsync(owner, contact, SubscriptionStanza.Unsubscribed, new XmlElement("presence", Namespaces.Client), CancellationToken.None).ConfigureAwait(false);
        }

        var version = await rosters.RemoveItemAsync(owner, contact).ConfigureAwait(false);
        await context.ResultAsync().ConfigureAwait(false);
        pushes.PushRemoval(owner, contact, version);
    }
}

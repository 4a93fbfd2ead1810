using System.Collections.Concurrent;
using System.Text;
using Converge.Core.Addressing;
using Converge.Core.Federation;
using Converge.Core.Roster;
using Converge.Core.Storage;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Pep;

/// <summary>
/// The PEP service of every account (XEP-0163 over the XEP-0060 subset PEP clients use): nodes
/// created on first publish, items kept in storage, access by the node's model, and events sent to the
/// resources that advertised <c>NODE+notify</c> through entity capabilities. Protocol parsing is in
/// <see cref="PubSubIqHandler"/>; this class holds the rules.
/// </summary>
internal sealed partial class PepService(
    IPepStore store,
    IRosterStore rosters,
    SessionRegistry sessions,
    EntityCapabilities caps,
    StanzaRouter router,
    Func<AgreementBook> agreements,
    PepLimits limits,
    XmlLimits xmlLimits,
    string domain,
    ILogger logger)
{
    private readonly ConcurrentDictionary<Jid, Task<PepAccount>> _accounts = new();
    private long _eventIds;

    public PepLimits Limits => limits;

    /// <summary>Called after an item is published, inside the owner's gate released (avatar conversion, bookmarks).</summary>
    public event Func<Jid, string, PepItem, ValueTask>? Published;

    /// <summary>The account's PEP state, loaded once from storage.</summary>
    public Task<PepAccount> AccountAsync(Jid owner) => _accounts.GetOrAdd(owner.Bare, LoadAsync);

    private async Task<PepAccount> LoadAsync(Jid owner)
    {
        var account = new PepAccount();
        try
        {
            foreach (var row in await store.LoadAsync(owner).ConfigureAwait(false))
            {
                var access = AccessModels.TryParse(row.AccessModel, out var model) ? model : AccessModel.Presence;
                var node = new PepNode(row.Node, new PepNodeConfig(access, row.PersistItems, Math.Clamp(row.MaxItems, 1, limits.MaxItemsPerNode)));
                foreach (var item in row.Items)
                {
                    if (XmlFragment.Parse(item.PayloadXml, xmlLimits) is { } payload)
                    {
                        node.Items.Add(new PepItem(item.Id, item.Published, payload));
                        account.Observe(item.Published);
                    }
                }

                node.Trim();
                account.Nodes[row.Node] = node;
            }

            foreach (var row in await store.LoadAffiliationsAsync(owner).ConfigureAwait(false))
            {
                if (account.Nodes.TryGetValue(row.Node, out var node) && Jid.TryParse(row.Jid, out var jid)
                    && NodeAffiliations.TryParse(row.Affiliation, out var affiliation) && affiliation is not (NodeAffiliation.None or NodeAffiliation.Owner))
                {
                    node.Affiliations[jid.Bare] = affiliation;
                }
            }
        }
        catch
        {
            // Let the next request try again rather than caching a failed load.
            _accounts.TryRemove(owner.Bare, out _);
            throw;
        }

        return account;
    }

    /// <summary>
    /// Whether <paramref name="requester"/> may see the node's items and events: an outcast never (§6.5.9
    /// "blocked"), a member or publisher always, anyone else as the access model says.
    /// </summary>
    public async ValueTask<PepOutcome?> CheckAccessAsync(Jid owner, Jid requester, PepNodeConfig config, NodeAffiliation affiliation, CancellationToken cancellationToken)
    {
        if (requester.Bare == owner.Bare)
        {
            return null;
        }

        if (affiliation == NodeAffiliation.Outcast)
        {
            return PepOutcome.Blocked;
        }

        if (affiliation >= NodeAffiliation.Member || config.Access == AccessModel.Open)
        {
            return null;
        }

        if (config.Access == AccessModel.Whitelist)
        {
            return PepOutcome.Closed;
        }

        var item = await rosters.GetItemAsync(owner.Bare, requester.Bare, cancellationToken).ConfigureAwait(false);
        return item is not null && SubscriptionStateMachine.SendsPresenceToContact(item.State) ? null : PepOutcome.PresenceRequired;
    }

    /// <summary>XEP-0060 §7.1: publishes (creating the node on first use), then notifies. Returns the item id or why not.</summary>
    public async ValueTask<(string? ItemId, PepOutcome? Error)> PublishAsync(Jid owner, string nodeName, string? itemId, XmlElement payload, NodeConfigForm options, CancellationToken cancellationToken)
    {
        if (Encoding.UTF8.GetByteCount(XmlWriter.ToXmlString(payload)) > limits.MaxItemBytes)
        {
            return (null, new PepOutcome("not-acceptable", "payload-too-big", $"An item may have at most {limits.MaxItemBytes} bytes."));
        }

        var account = await AccountAsync(owner).ConfigureAwait(false);
        PepItem item;
        PepNodeConfig config;
        IReadOnlyDictionary<Jid, NodeAffiliation> affiliations;
        await account.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!account.Nodes.TryGetValue(nodeName, out var node))
            {
                if (account.Nodes.Count >= limits.MaxNodesPerAccount)
                {
                    return (null, new PepOutcome("not-allowed", null, $"An account may have at most {limits.MaxNodesPerAccount} nodes."));
                }

                node = new PepNode(nodeName, options.Apply(PepNodeConfig.Default));
                await store.SaveNodeAsync(owner, Row(node), cancellationToken).ConfigureAwait(false);
                account.Nodes[nodeName] = node;
                LogNodeCreated(logger, owner.ToString(), nodeName, AccessModels.Name(node.Config.Access));
            }
            else if (!options.Matches(node.Config))
            {
                return (null, new PepOutcome("conflict", "precondition-not-met", "The publish options differ from the node's configuration."));
            }

            config = node.Config;
            affiliations = new Dictionary<Jid, NodeAffiliation>(node.Affiliations);
            item = new PepItem(string.IsNullOrEmpty(itemId) ? Guid.NewGuid().ToString("N") : itemId, account.NextPublished(), payload.Clone());
            if (config.PersistItems)
            {
                await store.SaveItemAsync(owner, nodeName, new PepItemRow(item.Id, item.Published, XmlWriter.ToXmlString(item.Payload)), config.MaxItems, cancellationToken).ConfigureAwait(false);
            }

            node.Put(item);
        }
        finally
        {
            account.Gate.Release();
        }

        var items = new XmlElement("items", PepNamespaces.Event).SetAttribute("node", nodeName);
        items.Add(ItemElement(item, PepNamespaces.Event));
        await NotifyAsync(owner, nodeName, config, affiliations, items, cancellationToken).ConfigureAwait(false);
        if (Published is { } published)
        {
            await published(owner.Bare, nodeName, item).ConfigureAwait(false);
        }

        return (item.Id, null);
    }

    /// <summary>XEP-0060 §7.2: removes an item; notifies with a retract element when asked to.</summary>
    public async ValueTask<PepOutcome?> RetractAsync(Jid owner, string nodeName, string itemId, bool notify, CancellationToken cancellationToken)
    {
        var account = await AccountAsync(owner).ConfigureAwait(false);
        PepNodeConfig config;
        IReadOnlyDictionary<Jid, NodeAffiliation> affiliations;
        await account.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!account.Nodes.TryGetValue(nodeName, out var node))
            {
                return PepOutcome.NotFound;
            }

            if (node.Find(itemId) is null)
            {
                return new PepOutcome("item-not-found", Text: "No such item.");
            }

            await store.DeleteItemAsync(owner, nodeName, itemId, cancellationToken).ConfigureAwait(false);
            node.Items.RemoveAll(i => i.Id == itemId);
            config = node.Config;
            affiliations = new Dictionary<Jid, NodeAffiliation>(node.Affiliations);
        }
        finally
        {
            account.Gate.Release();
        }

        if (notify)
        {
            var items = new XmlElement("items", PepNamespaces.Event).SetAttribute("node", nodeName);
            items.AddElement("retract").SetAttribute("id", itemId);
            await NotifyAsync(owner, nodeName, config, affiliations, items, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>XEP-0060 §6.5: the items a requester may see, newest first as §6.5.7 asks for max_items.</summary>
    public async ValueTask<(IReadOnlyList<PepItem> Items, PepOutcome? Error)> ItemsAsync(Jid owner, string nodeName, Jid requester, IReadOnlyCollection<string>? ids, int? max, CancellationToken cancellationToken)
    {
        var account = await AccountAsync(owner).ConfigureAwait(false);
        PepNodeConfig config;
        NodeAffiliation affiliation;
        List<PepItem> all;
        await account.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!account.Nodes.TryGetValue(nodeName, out var node))
            {
                return ([], PepOutcome.NotFound);
            }

            config = node.Config;
            affiliation = node.AffiliationOf(owner, requester);
            all = [.. node.Items];
        }
        finally
        {
            account.Gate.Release();
        }

        if (await CheckAccessAsync(owner, requester, config, affiliation, cancellationToken).ConfigureAwait(false) is { } denied)
        {
            return ([], denied);
        }

        IEnumerable<PepItem> chosen = ids is { Count: > 0 } ? all.Where(i => ids.Contains(i.Id)) : all;
        if (max is { } n)
        {
            // The newest n, still oldest first in the answer (as Prosody and ejabberd return them).
            var list = chosen.ToList();
            chosen = list.Skip(Math.Max(0, list.Count - n));
        }

        return ([.. chosen], null);
    }

    /// <summary>XEP-0060 §8.1: creates a node with the given configuration (conflict if it exists).</summary>
    public async ValueTask<PepOutcome?> CreateAsync(Jid owner, string nodeName, NodeConfigForm options, CancellationToken cancellationToken)
    {
        var account = await AccountAsync(owner).ConfigureAwait(false);
        await account.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (account.Nodes.ContainsKey(nodeName))
            {
                return new PepOutcome("conflict", Text: "The node exists.");
            }

            if (account.Nodes.Count >= limits.MaxNodesPerAccount)
            {
                return new PepOutcome("not-allowed", null, $"An account may have at most {limits.MaxNodesPerAccount} nodes.");
            }

            var node = new PepNode(nodeName, options.Apply(PepNodeConfig.Default));
            await store.SaveNodeAsync(owner, Row(node), cancellationToken).ConfigureAwait(false);
            account.Nodes[nodeName] = node;
            return null;
        }
        finally
        {
            account.Gate.Release();
        }
    }

    /// <summary>The node's configuration (§8.2.1), or null when there is no such node.</summary>
    public async ValueTask<PepNodeConfig?> ConfigurationAsync(Jid owner, string nodeName)
    {
        var account = await AccountAsync(owner).ConfigureAwait(false);
        await account.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            return account.Nodes.TryGetValue(nodeName, out var node) ? node.Config : null;
        }
        finally
        {
            account.Gate.Release();
        }
    }

    /// <summary>§8.2.4: changes a node's configuration; items beyond a lower max_items go.</summary>
    public async ValueTask<PepOutcome?> ConfigureAsync(Jid owner, string nodeName, NodeConfigForm options, CancellationToken cancellationToken)
    {
        var account = await AccountAsync(owner).ConfigureAwait(false);
        await account.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!account.Nodes.TryGetValue(nodeName, out var node))
            {
                return PepOutcome.NotFound;
            }

            // Items already published stay in memory when persistence is turned off; storage drops them.
            node.Config = options.Apply(node.Config);
            node.Trim();
            await store.SaveNodeAsync(owner, Row(node), cancellationToken).ConfigureAwait(false);
            return null;
        }
        finally
        {
            account.Gate.Release();
        }
    }

    /// <summary>§8.4 delete and §8.5 purge, each notified to who could see the node.</summary>
    public async ValueTask<PepOutcome?> DeleteOrPurgeAsync(Jid owner, string nodeName, bool delete, CancellationToken cancellationToken)
    {
        var account = await AccountAsync(owner).ConfigureAwait(false);
        PepNodeConfig config;
        IReadOnlyDictionary<Jid, NodeAffiliation> affiliations;
        await account.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!account.Nodes.TryGetValue(nodeName, out var node))
            {
                return PepOutcome.NotFound;
            }

            config = node.Config;
            affiliations = new Dictionary<Jid, NodeAffiliation>(node.Affiliations);
            if (delete)
            {
                await store.DeleteNodeAsync(owner, nodeName, cancellationToken).ConfigureAwait(false);
                account.Nodes.Remove(nodeName);
            }
            else
            {
                await store.DeleteItemAsync(owner, nodeName, null, cancellationToken).ConfigureAwait(false);
                node.Items.Clear();
            }
        }
        finally
        {
            account.Gate.Release();
        }

        var element = new XmlElement(delete ? "delete" : "purge", PepNamespaces.Event).SetAttribute("node", nodeName);
        await NotifyAsync(owner, nodeName, config, affiliations, element, cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>The nodes a requester may see, for disco#items on the account (XEP-0163 §7).</summary>
    public async ValueTask<IReadOnlyList<string>> VisibleNodesAsync(Jid owner, Jid requester, CancellationToken cancellationToken)
    {
        var account = await AccountAsync(owner).ConfigureAwait(false);
        List<(string Name, PepNodeConfig Config, NodeAffiliation Affiliation)> nodes;
        await account.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            nodes = [.. account.Nodes.Values.Select(n => (n.Name, n.Config, n.AffiliationOf(owner, requester)))];
        }
        finally
        {
            account.Gate.Release();
        }

        var visible = new List<string>();
        foreach (var (name, config, affiliation) in nodes.OrderBy(n => n.Name, StringComparer.Ordinal))
        {
            if (await CheckAccessAsync(owner, requester, config, affiliation, cancellationToken).ConfigureAwait(false) is null)
            {
                visible.Add(name);
            }
        }

        return visible;
    }

    /// <summary>
    /// Sends an event to every resource that gets the node's events (<see cref="SubscribersAsync"/>).
    /// </summary>
    private async ValueTask NotifyAsync(Jid owner, string nodeName, PepNodeConfig config, IReadOnlyDictionary<Jid, NodeAffiliation> affiliations, XmlElement eventChild, CancellationToken cancellationToken)
    {
        var subscribers = await SubscribersAsync(owner, nodeName, config, affiliations, cancellationToken).ConfigureAwait(false);
        foreach (var subscriber in subscribers)
        {
            await SendEventAsync(owner, subscriber, eventChild, cancellationToken).ConfigureAwait(false);
        }

        LogNotified(logger, owner.ToString(), nodeName, subscribers.Count);
    }

    /// <summary>
    /// The resources subscribed to a node, PEP's implicit way (XEP-0163 §4.3): the owner's own and its
    /// contacts' (a 'from' or 'both' subscription) that the node's access model and affiliations let
    /// see it, each only if its caps include <c>NODE+notify</c>.
    /// </summary>
    private async ValueTask<List<Jid>> SubscribersAsync(Jid owner, string nodeName, PepNodeConfig config, IReadOnlyDictionary<Jid, NodeAffiliation> affiliations, CancellationToken cancellationToken)
    {
        var subscribers = new List<Jid>();
        foreach (var session in sessions.SessionsOf(owner.Bare))
        {
            if (session.IsAvailable && new PepNotificationTarget(session.FullJid, caps.FeaturesOfResource(session.FullJid)).Wants(nodeName))
            {
                subscribers.Add(session.FullJid);
            }
        }

        if (config.Access == AccessModel.Whitelist && !affiliations.Values.Any(a => a >= NodeAffiliation.Member))
        {
            return subscribers; // nobody but the owner: no roster to read
        }

        var (items, _) = await rosters.GetAsync(owner.Bare, cancellationToken).ConfigureAwait(false);
        foreach (var item in items)
        {
            var affiliation = affiliations.GetValueOrDefault(item.Contact.Bare, NodeAffiliation.None);
            if (!SubscriptionStateMachine.SendsPresenceToContact(item.State) || item.Contact.Bare == owner.Bare
                || affiliation == NodeAffiliation.Outcast || (config.Access == AccessModel.Whitelist && affiliation < NodeAffiliation.Member))
            {
                continue;
            }

            foreach (var target in TargetsOf(item.Contact.Bare))
            {
                if (target.Wants(nodeName))
                {
                    subscribers.Add(target.Resource);
                }
            }
        }

        return subscribers;
    }

    /// <summary>A contact's available resources: the session table for ours, caps learnt from presence for a peer's (only where the agreement grants Pep).</summary>
    private IEnumerable<PepNotificationTarget> TargetsOf(Jid contact)
    {
        if (contact.Domain == domain)
        {
            foreach (var session in sessions.SessionsOf(contact))
            {
                if (session.IsAvailable)
                {
                    yield return new PepNotificationTarget(session.FullJid, caps.FeaturesOfResource(session.FullJid));
                }
            }

            yield break;
        }

        if (!agreements().Allows(contact.Domain, InterconnectionFeature.Pep))
        {
            yield break;
        }

        foreach (var target in caps.ResourcesOf(contact))
        {
            yield return target;
        }
    }

    /// <summary>
    /// The last item of each of the owner's nodes the resource may see and wants, sent when it comes
    /// online, when its caps become known, or when the owner approves its subscription (XEP-0163 §4.3.2).
    /// </summary>
    public async ValueTask SendLastItemsAsync(Jid owner, PepNotificationTarget target, CancellationToken cancellationToken)
    {
        if (target.Features.Count == 0)
        {
            return;
        }

        if (target.Resource.Domain != domain && !agreements().Allows(target.Resource.Domain, InterconnectionFeature.Pep))
        {
            return;
        }

        var account = await AccountAsync(owner).ConfigureAwait(false);
        List<(string Node, PepNodeConfig Config, NodeAffiliation Affiliation, PepItem Item)> last = [];
        await account.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var node in account.Nodes.Values)
            {
                if (node.Last is { } item && target.Wants(node.Name))
                {
                    last.Add((node.Name, node.Config, node.AffiliationOf(owner, target.Resource), item));
                }
            }
        }
        finally
        {
            account.Gate.Release();
        }

        foreach (var (node, config, affiliation, item) in last)
        {
            if (await CheckAccessAsync(owner, target.Resource, config, affiliation, cancellationToken).ConfigureAwait(false) is not null)
            {
                continue;
            }

            var items = new XmlElement("items", PepNamespaces.Event).SetAttribute("node", node);
            items.Add(ItemElement(item, PepNamespaces.Event));
            await SendEventAsync(owner, target.Resource, items, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A local resource came online (or its caps became known): its own nodes and each local contact's it follows.</summary>
    public async ValueTask LocalResourceAvailableAsync(PepNotificationTarget target, CancellationToken cancellationToken)
    {
        if (target.Features.Count == 0)
        {
            return;
        }

        var user = target.Resource.Bare;
        await SendLastItemsAsync(user, target, cancellationToken).ConfigureAwait(false);
        var (items, _) = await rosters.GetAsync(user, cancellationToken).ConfigureAwait(false);
        foreach (var item in items)
        {
            // Contacts at a peer send their own last items; ours are answered here.
            if (item.Contact.Domain == domain && item.Contact.Local is not null && item.Contact.Bare != user
                && SubscriptionStateMachine.ReceivesPresenceFromContact(item.State))
            {
                await SendLastItemsAsync(item.Contact.Bare, target, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The owner approved a contact's subscription: the contact's known resources get the last items (XEP-0163 §4.3.3).</summary>
    public async ValueTask SubscriptionApprovedAsync(Jid owner, Jid contact, CancellationToken cancellationToken)
    {
        foreach (var target in TargetsOf(contact.Bare))
        {
            await SendLastItemsAsync(owner, target, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The items of a node as the owner sees them (for conversions), newest last; empty when there is no node.</summary>
    public async ValueTask<(PepNodeConfig? Config, IReadOnlyList<PepItem> Items)> OwnerItemsAsync(Jid owner, string nodeName)
    {
        var account = await AccountAsync(owner).ConfigureAwait(false);
        await account.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            return account.Nodes.TryGetValue(nodeName, out var node) ? (node.Config, [.. node.Items]) : (null, []);
        }
        finally
        {
            account.Gate.Release();
        }
    }

    private ValueTask SendEventAsync(Jid owner, Jid to, XmlElement eventChild, CancellationToken cancellationToken)
    {
        var message = new XmlElement("message", Namespaces.Client)
            .SetAttribute("from", owner.Bare.ToString())
            .SetAttribute("to", to.ToString())
            .SetAttribute("type", "headline")
            .SetAttribute("id", "pep-" + Interlocked.Increment(ref _eventIds).ToString(System.Globalization.CultureInfo.InvariantCulture));
        message.AddElement("event", PepNamespaces.Event).Add(eventChild.Clone());
        return router.RouteAsync(new Stanza(message, StanzaKind.Message, owner.Bare, to), cancellationToken);
    }

    public static XmlElement ItemElement(PepItem item, string ns)
    {
        var element = new XmlElement("item", ns).SetAttribute("id", item.Id);
        element.Add(item.Payload.Clone());
        return element;
    }

    private static PepNodeRow Row(PepNode node) =>
        new(node.Name, AccessModels.Name(node.Config.Access), node.Config.PersistItems, node.Config.MaxItems, []);

    [LoggerMessage(EventId = 4000, Level = LogLevel.Debug, Message = "PEP node {Node} of {Owner} created (access {Access})")]
    private static partial void LogNodeCreated(ILogger logger, string owner, string node, string access);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "PEP event of {Owner} on {Node} sent to {Count} resources")]
    private static partial void LogNotified(ILogger logger, string owner, string node, int count);
}

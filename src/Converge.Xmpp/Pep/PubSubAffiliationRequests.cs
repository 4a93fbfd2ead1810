using Converge.Core.Addressing;
using Converge.Xmpp.Routing;

namespace Converge.Xmpp.Pep;

/// <summary>
/// The XEP-0060 subscription and affiliation requests on an account's PEP service: an entity's own
/// (§5.6, §5.7, <c>pubsub</c> namespace) and the owner's view and management of a node's
/// (§8.8.1, §8.9, <c>pubsub#owner</c>; the caller has checked it is the owner).
/// </summary>
internal sealed class PubSubAffiliationRequests(PepService pep)
{
    /// <summary>Most affiliation items one request may carry (the node's own limit applies too).</summary>
    private const int MaxItemsPerRequest = 100;

    public async ValueTask OwnSubscriptionsAsync(IqContext context, Jid owner, Jid requester, string? node)
    {
        var result = new Xml.XmlElement("pubsub", PepNamespaces.PubSub);
        var list = result.AddElement("subscriptions");
        if (!string.IsNullOrEmpty(node))
        {
            list.SetAttribute("node", node);
        }

        foreach (var subscribed in await pep.SubscriptionsOfAsync(owner, requester, NullIfEmpty(node), CancellationToken.None).ConfigureAwait(false))
        {
            list.AddElement("subscription").SetAttribute("node", subscribed).SetAttribute("jid", requester.ToString()).SetAttribute("subscription", "subscribed");
        }

        await context.ResultAsync(result).ConfigureAwait(false);
    }

    public async ValueTask OwnAffiliationsAsync(IqContext context, Jid owner, Jid requester, string? node)
    {
        var result = new Xml.XmlElement("pubsub", PepNamespaces.PubSub);
        var list = result.AddElement("affiliations");
        if (!string.IsNullOrEmpty(node))
        {
            list.SetAttribute("node", node);
        }

        foreach (var (name, affiliation) in await pep.AffiliationsOfAsync(owner, requester, NullIfEmpty(node), CancellationToken.None).ConfigureAwait(false))
        {
            list.AddElement("affiliation").SetAttribute("node", name).SetAttribute("affiliation", NodeAffiliations.Name(affiliation));
        }

        await context.ResultAsync(result).ConfigureAwait(false);
    }

    public async ValueTask NodeSubscriptionsAsync(IqContext context, Jid owner, string node)
    {
        if (await pep.NodeSubscribersAsync(owner, node, CancellationToken.None).ConfigureAwait(false) is not { } subscribers)
        {
            await PubSubIqHandler.FailAsync(context, PepOutcome.NotFound).ConfigureAwait(false);
            return;
        }

        var result = new Xml.XmlElement("pubsub", PepNamespaces.Owner);
        var list = result.AddElement("subscriptions").SetAttribute("node", node);
        foreach (var subscriber in subscribers)
        {
            list.AddElement("subscription").SetAttribute("jid", subscriber.ToString()).SetAttribute("subscription", "subscribed");
        }

        await context.ResultAsync(result).ConfigureAwait(false);
    }

    public async ValueTask NodeAffiliationsAsync(IqContext context, Jid owner, string node)
    {
        if (await pep.NodeAffiliationsAsync(owner, node, CancellationToken.None).ConfigureAwait(false) is not { } affiliations)
        {
            await PubSubIqHandler.FailAsync(context, PepOutcome.NotFound).ConfigureAwait(false);
            return;
        }

        var result = new Xml.XmlElement("pubsub", PepNamespaces.Owner);
        var list = result.AddElement("affiliations").SetAttribute("node", node);
        foreach (var (jid, affiliation) in affiliations)
        {
            list.AddElement("affiliation").SetAttribute("jid", jid.ToString()).SetAttribute("affiliation", NodeAffiliations.Name(affiliation));
        }

        await context.ResultAsync(result).ConfigureAwait(false);
    }

    /// <summary>§8.9.2: every item is checked before anything changes; a bad one refuses the whole request.</summary>
    public async ValueTask SetNodeAffiliationsAsync(IqContext context, Jid owner, string node, Xml.XmlElement request)
    {
        var items = request.Elements("affiliation", PepNamespaces.Owner).ToList();
        if (items.Count is 0 or > MaxItemsPerRequest)
        {
            await context.ErrorAsync("bad-request", $"Name between 1 and {MaxItemsPerRequest} affiliations.").ConfigureAwait(false);
            return;
        }

        var changes = new List<(Jid, NodeAffiliation)>(items.Count);
        foreach (var item in items)
        {
            if (!Jid.TryParse(item.GetAttribute("jid"), out var jid) || !NodeAffiliations.TryParse(item.GetAttribute("affiliation"), out var affiliation))
            {
                await context.ErrorAsync("bad-request", "Each affiliation names a JID and one of owner, publisher, member, none, outcast.").ConfigureAwait(false);
                return;
            }

            changes.Add((jid.Bare, affiliation));
        }

        await PubSubIqHandler.AnswerAsync(context, await pep.SetAffiliationsAsync(owner, node, changes, CancellationToken.None).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private static string? NullIfEmpty(string? node) => string.IsNullOrEmpty(node) ? null : node;
}

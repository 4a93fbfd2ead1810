using System.Globalization;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Pep;

/// <summary>
/// The pubsub and pubsub#owner IQs of XEP-0060 addressed to an account (XEP-0163): reads the request,
/// lets <see cref="PepService"/> decide, and writes the answer. Anyone may ask for items (the access
/// model decides); only the owner publishes, retracts, creates, configures, purges, deletes and manages
/// affiliations. Subscription and affiliation requests are read in <see cref="PubSubAffiliationRequests"/>.
/// </summary>
internal sealed class PubSubIqHandler(PepService pep)
{
    private readonly PubSubAffiliationRequests affiliations = new(pep);

    public void Register(IqHandlerTable iq)
    {
        iq.Register(IqTarget.Account, "pubsub", PepNamespaces.PubSub, HandleAsync);
        iq.Register(IqTarget.Account, "pubsub", PepNamespaces.Owner, HandleOwnerAsync);
        foreach (var feature in PepNamespaces.Features)
        {
            iq.AddFeature(IqTarget.Account, feature);
        }

        // disco#items of an account lists the nodes the requester may see (XEP-0163 §7 / XEP-0060 §5.2).
        iq.Register(IqTarget.Account, "query", Namespaces.DiscoItems, ItemsAsync);
    }

    private async ValueTask HandleAsync(IqContext context)
    {
        var pubsub = context.Payload;
        var owner = context.Target;
        var requester = context.Stanza.From!;
        var action = pubsub.FirstElement();
        if (action is null)
        {
            await context.ErrorAsync("bad-request").ConfigureAwait(false);
            return;
        }

        if (!context.IsSet)
        {
            switch (action.Name)
            {
                case "items":
                    await ItemsRequestAsync(context, owner, requester, action).ConfigureAwait(false);
                    return;
                case "subscriptions":
                    await affiliations.OwnSubscriptionsAsync(context, owner, requester, action.GetAttribute("node")).ConfigureAwait(false);
                    return;
                case "affiliations":
                    await affiliations.OwnAffiliationsAsync(context, owner, requester, action.GetAttribute("node")).ConfigureAwait(false);
                    return;
                default:
                    await context.ErrorAsync("feature-not-implemented", null, Unsupported("retrieve-" + action.Name)).ConfigureAwait(false);
                    return;
            }
        }

        if (!context.IsOwnAccount)
        {
            await FailAsync(context, PepOutcome.OwnerOnly).ConfigureAwait(false);
            return;
        }

        var node = action.GetAttribute("node");
        if (string.IsNullOrEmpty(node) && action.Name is "publish" or "retract")
        {
            await context.ErrorAsync("bad-request", "A node is required.", new XmlElement("nodeid-required", PepNamespaces.Errors)).ConfigureAwait(false);
            return;
        }

        var ct = CancellationToken.None;
        switch (action.Name)
        {
            case "publish":
                await PublishAsync(context, owner, node!, action, pubsub).ConfigureAwait(false);
                return;
            case "retract":
                var id = action.Element("item", PepNamespaces.PubSub)?.GetAttribute("id");
                if (string.IsNullOrEmpty(id))
                {
                    await context.ErrorAsync("bad-request", "An item id is required.", new XmlElement("item-required", PepNamespaces.Errors)).ConfigureAwait(false);
                    return;
                }

                var notify = action.GetAttribute("notify") is "1" or "true";
                await AnswerAsync(context, await pep.RetractAsync(owner, node!, id, notify, ct).ConfigureAwait(false)).ConfigureAwait(false);
                return;
            case "create":
                if (string.IsNullOrEmpty(node))
                {
                    // Instant nodes make no sense on PEP: a node's name is its meaning.
                    await context.ErrorAsync("not-acceptable", "A PEP node needs a name.", new XmlElement("nodeid-required", PepNamespaces.Errors)).ConfigureAwait(false);
                    return;
                }

                var form = NodeConfigForm.Parse(pubsub.Element("configure", PepNamespaces.PubSub)?.Element("x", Namespaces.DataForms), pep.Limits, out var error);
                if (form is null)
                {
                    await context.ErrorAsync("bad-request", error).ConfigureAwait(false);
                    return;
                }

                await AnswerAsync(context, await pep.CreateAsync(owner, node, form, ct).ConfigureAwait(false)).ConfigureAwait(false);
                return;
            default:
                // Subscriptions are implicit in PEP: +notify in the client's caps (XEP-0163 §4.3).
                await context.ErrorAsync("feature-not-implemented", null, Unsupported(action.Name == "subscribe" ? "subscribe" : action.Name)).ConfigureAwait(false);
                return;
        }
    }

    private async ValueTask PublishAsync(IqContext context, Core.Addressing.Jid owner, string node, XmlElement publish, XmlElement pubsub)
    {
        var items = publish.Elements("item", PepNamespaces.PubSub).ToList();
        if (items.Count > 1)
        {
            await context.ErrorAsync("bad-request", "Publish one item at a time.", new XmlElement("invalid-payload", PepNamespaces.Errors)).ConfigureAwait(false);
            return;
        }

        var payload = items.Count == 1 ? items[0].FirstElement() : null;
        if (payload is null || items[0].Elements().Skip(1).Any())
        {
            await context.ErrorAsync("bad-request", "An item carries exactly one payload.", new XmlElement(payload is null ? "payload-required" : "invalid-payload", PepNamespaces.Errors)).ConfigureAwait(false);
            return;
        }

        var options = NodeConfigForm.Parse(pubsub.Element("publish-options", PepNamespaces.PubSub)?.Element("x", Namespaces.DataForms), pep.Limits, out var error);
        if (options is null)
        {
            await context.ErrorAsync("conflict", error, new XmlElement("precondition-not-met", PepNamespaces.Errors)).ConfigureAwait(false);
            return;
        }

        var (id, failure) = await pep.PublishAsync(owner, node, items[0].GetAttribute("id"), payload, options, CancellationToken.None).ConfigureAwait(false);
        if (failure is not null)
        {
            await FailAsync(context, failure).ConfigureAwait(false);
            return;
        }

        var result = new XmlElement("pubsub", PepNamespaces.PubSub);
        result.AddElement("publish").SetAttribute("node", node).AddElement("item").SetAttribute("id", id);
        await context.ResultAsync(result).ConfigureAwait(false);
    }

    private async ValueTask ItemsRequestAsync(IqContext context, Core.Addressing.Jid owner, Core.Addressing.Jid requester, XmlElement request)
    {
        var node = request.GetAttribute("node");
        if (string.IsNullOrEmpty(node))
        {
            await context.ErrorAsync("bad-request", "A node is required.", new XmlElement("nodeid-required", PepNamespaces.Errors)).ConfigureAwait(false);
            return;
        }

        int? max = null;
        if (request.GetAttribute("max_items") is { } maxText)
        {
            if (!int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
            {
                await context.ErrorAsync("bad-request", "max_items is a positive number.").ConfigureAwait(false);
                return;
            }

            max = n;
        }

        var ids = request.Elements("item", PepNamespaces.PubSub).Select(i => i.GetAttribute("id")).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var (items, failure) = await pep.ItemsAsync(owner, node, requester, ids, max, CancellationToken.None).ConfigureAwait(false);
        if (failure is not null)
        {
            await FailAsync(context, failure).ConfigureAwait(false);
            return;
        }

        var result = new XmlElement("pubsub", PepNamespaces.PubSub);
        var list = result.AddElement("items").SetAttribute("node", node);
        foreach (var item in items)
        {
            list.Add(PepService.ItemElement(item, PepNamespaces.PubSub));
        }

        await context.ResultAsync(result).ConfigureAwait(false);
    }

    private async ValueTask HandleOwnerAsync(IqContext context)
    {
        if (!context.IsOwnAccount)
        {
            await FailAsync(context, PepOutcome.OwnerOnly).ConfigureAwait(false);
            return;
        }

        var owner = context.Target;
        var action = context.Payload.FirstElement();
        var node = action?.GetAttribute("node");
        if (action is null || string.IsNullOrEmpty(node))
        {
            await context.ErrorAsync("bad-request", "A node is required.", new XmlElement("nodeid-required", PepNamespaces.Errors)).ConfigureAwait(false);
            return;
        }

        var ct = CancellationToken.None;
        switch (action.Name, context.IsSet)
        {
            case ("configure", false):
                if (await pep.ConfigurationAsync(owner, node).ConfigureAwait(false) is not { } config)
                {
                    await FailAsync(context, PepOutcome.NotFound).ConfigureAwait(false);
                    return;
                }

                var result = new XmlElement("pubsub", PepNamespaces.Owner);
                result.AddElement("configure").SetAttribute("node", node).Add(NodeConfigForm.Render(config, pep.Limits.MaxItemsPerNode));
                await context.ResultAsync(result).ConfigureAwait(false);
                return;
            case ("configure", true):
                var x = action.Element("x", Namespaces.DataForms);
                var form = NodeConfigForm.Parse(x, pep.Limits, out var error);
                if (x is null || form is null || x.GetAttribute("type") is not ("submit" or null))
                {
                    await context.ErrorAsync(x?.GetAttribute("type") == "cancel" ? "bad-request" : "not-acceptable", error ?? "A submitted configuration form is required.").ConfigureAwait(false);
                    return;
                }

                await AnswerAsync(context, await pep.ConfigureAsync(owner, node, form, ct).ConfigureAwait(false)).ConfigureAwait(false);
                return;
            case ("delete", true):
                await AnswerAsync(context, await pep.DeleteOrPurgeAsync(owner, node, delete: true, ct).ConfigureAwait(false)).ConfigureAwait(false);
                return;
            case ("purge", true):
                await AnswerAsync(context, await pep.DeleteOrPurgeAsync(owner, node, delete: false, ct).ConfigureAwait(false)).ConfigureAwait(false);
                return;
            case ("subscriptions", false):
                await affiliations.NodeSubscriptionsAsync(context, owner, node).ConfigureAwait(false);
                return;
            case ("subscriptions", true):
                // PEP subscriptions follow presence and +notify (XEP-0163 §4.3); the owner cannot set them.
                await context.ErrorAsync("feature-not-implemented", "PEP subscriptions follow presence and entity capabilities.", Unsupported("manage-subscriptions")).ConfigureAwait(false);
                return;
            case ("affiliations", false):
                await affiliations.NodeAffiliationsAsync(context, owner, node).ConfigureAwait(false);
                return;
            case ("affiliations", true):
                await affiliations.SetNodeAffiliationsAsync(context, owner, node, action).ConfigureAwait(false);
                return;
            default:
                await context.ErrorAsync("feature-not-implemented", null, Unsupported(action.Name)).ConfigureAwait(false);
                return;
        }
    }

    private async ValueTask ItemsAsync(IqContext context)
    {
        if (context.IsSet)
        {
            await context.ErrorAsync("bad-request").ConfigureAwait(false);
            return;
        }

        if (context.Payload.GetAttribute("node") is not null)
        {
            await context.ErrorAsync("item-not-found").ConfigureAwait(false);
            return;
        }

        var query = new XmlElement("query", Namespaces.DiscoItems);
        var owner = context.Target;
        foreach (var node in await pep.VisibleNodesAsync(owner, context.Stanza.From!, CancellationToken.None).ConfigureAwait(false))
        {
            query.AddElement("item").SetAttribute("jid", owner.ToString()).SetAttribute("node", node);
        }

        await context.ResultAsync(query).ConfigureAwait(false);
    }

    internal static ValueTask AnswerAsync(IqContext context, PepOutcome? outcome) =>
        outcome is null ? context.ResultAsync() : FailAsync(context, outcome);

    internal static ValueTask FailAsync(IqContext context, PepOutcome outcome) =>
        context.ErrorAsync(outcome.Condition, outcome.Text, outcome.PubSubCondition is { } c ? new XmlElement(c, PepNamespaces.Errors) : null);

    private static XmlElement Unsupported(string feature) =>
        new XmlElement("unsupported", PepNamespaces.Errors).SetAttribute("feature", feature);
}

using Converge.Core.Addressing;

namespace Converge.Xmpp.Pep;

/// <summary>
/// Subscriptions and affiliations of PEP nodes (XEP-0060 §5.6, §5.7, §8.8.1, §8.9). Subscriptions
/// stay implicit (presence and <c>+notify</c>): they are reported, not stored. Affiliations are the
/// owner's grants (member, publisher) and bans (outcast), stored with the node.
/// </summary>
internal sealed partial class PepService
{
    /// <summary>§5.7: the requester's affiliations with the owner's nodes (all of them owner for the owner itself).</summary>
    public async ValueTask<IReadOnlyList<(string Node, NodeAffiliation Affiliation)>> AffiliationsOfAsync(Jid owner, Jid requester, string? nodeName, CancellationToken cancellationToken)
    {
        var account = await AccountAsync(owner).ConfigureAwait(false);
        await account.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return [.. account.Nodes.Values
                .Where(n => nodeName is null || n.Name == nodeName)
                .Select(n => (n.Name, n.AffiliationOf(owner, requester)))
                .Where(a => a.Item2 != NodeAffiliation.None)
                .OrderBy(a => a.Name, StringComparer.Ordinal)];
        }
        finally
        {
            account.Gate.Release();
        }
    }

    /// <summary>§8.9.1: every affiliation with a node, the owner's first; null when there is no such node.</summary>
    public async ValueTask<IReadOnlyList<(Jid Jid, NodeAffiliation Affiliation)>?> NodeAffiliationsAsync(Jid owner, string nodeName, CancellationToken cancellationToken)
    {
        var account = await AccountAsync(owner).ConfigureAwait(false);
        await account.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!account.Nodes.TryGetValue(nodeName, out var node))
            {
                return null;
            }

            return [(owner.Bare, NodeAffiliation.Owner), .. node.Affiliations.OrderBy(a => a.Key.ToString(), StringComparer.Ordinal).Select(a => (a.Key, a.Value))];
        }
        finally
        {
            account.Gate.Release();
        }
    }

    /// <summary>
    /// §8.9.2: the owner changes affiliations, all or none: a PEP node has one owner (the account), so
    /// nobody else becomes owner and the owner's own affiliation does not change (<c>not-acceptable</c>).
    /// </summary>
    public async ValueTask<PepOutcome?> SetAffiliationsAsync(Jid owner, string nodeName, IReadOnlyList<(Jid Jid, NodeAffiliation Affiliation)> changes, CancellationToken cancellationToken)
    {
        foreach (var (jid, affiliation) in changes)
        {
            if (jid.Bare == owner.Bare || affiliation == NodeAffiliation.Owner)
            {
                return new PepOutcome("not-acceptable", Text: "A PEP node has one owner, the account itself; that does not change.");
            }
        }

        var account = await AccountAsync(owner).ConfigureAwait(false);
        await account.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!account.Nodes.TryGetValue(nodeName, out var node))
            {
                return PepOutcome.NotFound;
            }

            var after = new Dictionary<Jid, NodeAffiliation>(node.Affiliations);
            foreach (var (jid, affiliation) in changes)
            {
                if (affiliation == NodeAffiliation.None)
                {
                    after.Remove(jid.Bare);
                }
                else
                {
                    after[jid.Bare] = affiliation;
                }
            }

            if (after.Count > limits.MaxAffiliationsPerNode)
            {
                return new PepOutcome("not-allowed", Text: $"A node may have at most {limits.MaxAffiliationsPerNode} affiliations.");
            }

            foreach (var (jid, affiliation) in changes)
            {
                await store.SaveAffiliationAsync(owner, nodeName, jid.Bare, NodeAffiliations.Name(affiliation), cancellationToken).ConfigureAwait(false);
                if (affiliation == NodeAffiliation.None)
                {
                    node.Affiliations.Remove(jid.Bare);
                }
                else
                {
                    node.Affiliations[jid.Bare] = affiliation;
                }
            }

            return null;
        }
        finally
        {
            account.Gate.Release();
        }
    }

    /// <summary>§5.6: the nodes whose events the requesting resource gets (it may see them and its caps ask for them).</summary>
    public async ValueTask<IReadOnlyList<string>> SubscriptionsOfAsync(Jid owner, Jid requester, string? nodeName, CancellationToken cancellationToken)
    {
        var target = new PepNotificationTarget(requester, caps.FeaturesOfResource(requester));
        var visible = await VisibleNodesAsync(owner, requester, cancellationToken).ConfigureAwait(false);
        return [.. visible.Where(n => (nodeName is null || n == nodeName) && target.Wants(n))];
    }

    /// <summary>§8.8.1: the resources subscribed to a node right now (the ones its next event goes to); null when there is no such node.</summary>
    public async ValueTask<IReadOnlyList<Jid>?> NodeSubscribersAsync(Jid owner, string nodeName, CancellationToken cancellationToken)
    {
        var account = await AccountAsync(owner).ConfigureAwait(false);
        PepNodeConfig config;
        IReadOnlyDictionary<Jid, NodeAffiliation> affiliations;
        await account.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!account.Nodes.TryGetValue(nodeName, out var node))
            {
                return null;
            }

            config = node.Config;
            affiliations = new Dictionary<Jid, NodeAffiliation>(node.Affiliations);
        }
        finally
        {
            account.Gate.Release();
        }

        return await SubscribersAsync(owner, nodeName, config, affiliations, cancellationToken).ConfigureAwait(false);
    }
}

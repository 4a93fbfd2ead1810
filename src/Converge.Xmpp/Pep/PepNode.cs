namespace Converge.Xmpp.Pep;

/// <summary>One node of an account: its configuration and its items, oldest first. Guarded by its account's gate.</summary>
internal sealed class PepNode(string name, PepNodeConfig config)
{
    public string Name { get; } = name;

    public PepNodeConfig Config { get; set; } = config;

    /// <summary>Oldest first; never more than <see cref="PepNodeConfig.MaxItems"/>.</summary>
    public List<PepItem> Items { get; } = [];

    /// <summary>Affiliations the owner granted (bare JIDs; never the owner, never <c>none</c>).</summary>
    public Dictionary<Core.Addressing.Jid, NodeAffiliation> Affiliations { get; } = [];

    /// <summary>The requester's affiliation: owner for the account itself, else what the owner granted.</summary>
    public NodeAffiliation AffiliationOf(Core.Addressing.Jid owner, Core.Addressing.Jid requester) =>
        requester.Bare == owner.Bare ? NodeAffiliation.Owner : Affiliations.GetValueOrDefault(requester.Bare, NodeAffiliation.None);

    public PepItem? Last => Items.Count == 0 ? null : Items[^1];

    public PepItem? Find(string id) => Items.Find(i => i.Id == id);

    /// <summary>Adds or replaces (same id, moved to newest) an item, then drops the oldest beyond the limit.</summary>
    public void Put(PepItem item)
    {
        Items.RemoveAll(i => i.Id == item.Id);
        Items.Add(item);
        Trim();
    }

    public void Trim()
    {
        var excess = Items.Count - Config.MaxItems;
        if (excess > 0)
        {
            Items.RemoveRange(0, excess);
        }
    }
}

namespace Converge.Xmpp.Pep;

/// <summary>The configuration of one node: the options PEP clients set (XEP-0060 §16.4.4).</summary>
internal sealed record PepNodeConfig(AccessModel Access, bool PersistItems, int MaxItems)
{
    /// <summary>XEP-0163's defaults: presence access, items kept (clients rely on the last one surviving).</summary>
    public static readonly PepNodeConfig Default = new(AccessModel.Presence, true, 1);
}

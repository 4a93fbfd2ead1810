namespace Converge.Xmpp.Pep;

/// <summary>
/// A JID's affiliation with a PEP node (XEP-0060 §4.1), in order of what it may do. The owner is the
/// account itself; the others are granted by the owner (§8.9). Publishing stays the owner's: a
/// publisher and a member may both retrieve items whatever the access model; an outcast never may.
/// </summary>
internal enum NodeAffiliation
{
    Outcast,
    None,
    Member,
    Publisher,
    Owner,
}

internal static class NodeAffiliations
{
    public static bool TryParse(string? text, out NodeAffiliation affiliation)
    {
        (var ok, affiliation) = text switch
        {
            "outcast" => (true, NodeAffiliation.Outcast),
            "none" => (true, NodeAffiliation.None),
            "member" => (true, NodeAffiliation.Member),
            "publisher" => (true, NodeAffiliation.Publisher),
            "owner" => (true, NodeAffiliation.Owner),
            _ => (false, NodeAffiliation.None),
        };
        return ok;
    }

    public static string Name(NodeAffiliation affiliation) => affiliation switch
    {
        NodeAffiliation.Outcast => "outcast",
        NodeAffiliation.Member => "member",
        NodeAffiliation.Publisher => "publisher",
        NodeAffiliation.Owner => "owner",
        _ => "none",
    };
}

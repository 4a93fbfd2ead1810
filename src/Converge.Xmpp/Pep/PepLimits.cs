namespace Converge.Xmpp.Pep;

/// <summary>Bounds of personal eventing (XEP-0163) and entity capabilities (XEP-0115), per account and server-wide.</summary>
public sealed class PepLimits
{
    /// <summary>Most nodes one account may have (OMEMO needs one bundle node per device).</summary>
    public int MaxNodesPerAccount { get; set; } = 128;

    /// <summary>Most items one node keeps; <c>pubsub#max_items=max</c> means this.</summary>
    public int MaxItemsPerNode { get; set; } = 256;

    /// <summary>Largest item payload, in bytes of serialized XML (an avatar's data is the usual large one).</summary>
    public int MaxItemBytes { get; set; } = 196_608;

    /// <summary>Most affiliations (members, publishers, outcasts) the owner may grant on one node.</summary>
    public int MaxAffiliationsPerNode { get; set; } = 1000;

    /// <summary>Distinct capability hashes (XEP-0115 'ver') remembered; beyond it an arbitrary one is forgotten.</summary>
    public int CapsCacheSize { get; set; } = 4096;

    /// <summary>Most disco#info queries for unknown capabilities waiting for an answer at once.</summary>
    public int MaxPendingCapsQueries { get; set; } = 1024;
}

namespace Converge.Cluster.Grains;

/// <summary>The pushes a session asked for, so that another node's changes reach it too.</summary>
[Flags]
public enum SessionInterests
{
    None = 0,

    /// <summary>It fetched the roster: roster pushes (RFC 6121 §2.1.6).</summary>
    Roster = 1,

    /// <summary>It fetched the block list: block and unblock pushes (XEP-0191).</summary>
    BlockList = 2,
}

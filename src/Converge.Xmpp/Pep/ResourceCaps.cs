using Converge.Core.Addressing;

namespace Converge.Xmpp.Pep;

/// <summary>
/// What one available resource (local or at a peer) advertised through entity capabilities: its
/// 'ver', and its features once known. For a resource at a peer, the local owners whose last items it
/// has been sent (it comes online once per owner it shares presence with).
/// </summary>
internal sealed class ResourceCaps(string? ver)
{
    public string? Ver { get; set; } = ver;

    /// <summary>Null while the disco#info answer is awaited (or never asked: no caps in the presence).</summary>
    public IReadOnlySet<string>? Features { get; set; }

    /// <summary>Local owners that already sent this resource their last items; guarded by itself.</summary>
    public HashSet<Jid> ServedOwners { get; } = [];
}

namespace Converge.Xmpp.Federation;

/// <summary>The <c>Limits.Server</c> section: what peers' links may take before they have authenticated.</summary>
public sealed class ServerLimits
{
    /// <summary>
    /// Inbound server-to-server connections from one address (IPv6: one /64) that have not yet
    /// authenticated a domain; one more is refused. 0: no limit.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(0, int.MaxValue)]
    public int MaxUnauthenticatedPerAddress { get; set; } = 20;
}

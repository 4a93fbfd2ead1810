using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Converge.Configuration;

/// <summary>
/// How the server-to-server links behave (the <c>Federation</c> keys other than <c>Open</c>). A null
/// value is unset: the federation's own default applies. Read at start only.
/// </summary>
internal sealed record FederationLinkSettings
{
    public static FederationLinkSettings Defaults { get; } = new();

    public TimeSpan? ConnectTimeout { get; init; }

    public TimeSpan? LinkSetupTimeout { get; init; }

    public TimeSpan? IdleTimeout { get; init; }

    public int? MaxQueuedPerDomain { get; init; }

    public int? MaxInboundConnections { get; init; }

    public bool RequireTls { get; init; } = true;

    /// <summary>The certificates of the files in Federation.TrustedCertificates; null: the system's roots.</summary>
    public X509Certificate2Collection? TrustedCertificates { get; init; }

    public string? DialbackSecret { get; init; }

    /// <summary>The DNS server for peers' SRV and address records; null: the system's resolver configuration.</summary>
    public System.Net.IPEndPoint? DnsServer { get; init; }

    /// <summary>Federation.Rtbl: real-time blocklists followed; empty: none.</summary>
    public IReadOnlyList<Xmpp.Federation.Rtbl.RtblSource> Rtbl { get; init; } = [];

    // A record prints every member; the secret must not reach a log that way.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"ConnectTimeout = {ConnectTimeout}, LinkSetupTimeout = {LinkSetupTimeout}, IdleTimeout = {IdleTimeout}, ")
            .Append($"MaxQueuedPerDomain = {MaxQueuedPerDomain}, MaxInboundConnections = {MaxInboundConnections}, RequireTls = {RequireTls}, ")
            .Append($"TrustedCertificates = {TrustedCertificates?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "system"}, ")
            .Append($"DialbackSecret = {(DialbackSecret is null ? "random" : "(set)")}, DnsServer = {DnsServer?.ToString() ?? "system"}");
        return true;
    }
}

namespace Converge.Xmpp.ExternalServices;

/// <summary>
/// One STUN/TURN (or other) service announced through XEP-0215. With <see cref="Secret"/> the
/// server hands out time-limited TURN credentials the coturn way (<c>use-auth-secret</c>); with
/// <see cref="Username"/>/<see cref="Password"/> it hands out those; with neither it is open.
/// </summary>
public sealed record ExternalService
{
    public required string Host { get; init; }

    public int? Port { get; init; }

    /// <summary><c>stun</c>, <c>turn</c>, <c>turns</c>, <c>stuns</c> ... (XEP-0215's <c>type</c>).</summary>
    public required string Type { get; init; }

    /// <summary><c>udp</c> or <c>tcp</c>; null leaves it out.</summary>
    public string? Transport { get; init; }

    public string? Name { get; init; }

    /// <summary>The TURN server's <c>static-auth-secret</c>: credentials are made per request. Never sent, never logged.</summary>
    public string? Secret { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>Whether clients must ask for credentials (XEP-0215 <c>restricted</c>).</summary>
    public bool Restricted => Secret is not null || Username is not null;

    public override string ToString() => $"{Type}:{Host}:{Port}";
}

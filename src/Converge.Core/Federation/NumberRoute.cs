namespace Converge.Core.Federation;

public enum NumberRouteKind
{
    /// <summary>In none of the known ranges.</summary>
    Unknown,

    /// <summary>In one of this provider's own ranges.</summary>
    Own,

    /// <summary>In the range of a peer provider with an agreement.</summary>
    Peer,
}

/// <summary>Where a phone number belongs.</summary>
public readonly record struct NumberRoute(NumberRouteKind Kind, string? Domain)
{
    public static NumberRoute Unknown => new(NumberRouteKind.Unknown, null);

    public static NumberRoute Own => new(NumberRouteKind.Own, null);

    public static NumberRoute Peer(string domain) => new(NumberRouteKind.Peer, domain);
}

namespace Converge.Accounts;

/// <summary>What <c>user set</c> changes; null leaves a field as it is, an empty MSISDN or email removes it.</summary>
internal sealed record AccountChanges
{
    public string? Password { get; init; }

    public string? Msisdn { get; init; }

    public string? Email { get; init; }

    public bool? CpmEnabled { get; init; }

    public bool? RoamingCpm { get; init; }

    /// <summary>true: nobody may log in (sessions end); false: unlocked again.</summary>
    public bool? Locked { get; init; }

    public bool IsEmpty => Password is null && Msisdn is null && Email is null && CpmEnabled is null && RoamingCpm is null && Locked is null;
}

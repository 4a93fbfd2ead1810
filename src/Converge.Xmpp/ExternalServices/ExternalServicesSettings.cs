namespace Converge.Xmpp.ExternalServices;

/// <summary>The <c>ExternalServices</c> section: what XEP-0215 announces and how long TURN credentials live.</summary>
public sealed class ExternalServicesSettings
{
    public IReadOnlyList<ExternalService> Services { get; init; } = [];

    /// <summary>How long credentials made from a TURN secret are valid.</summary>
    public TimeSpan CredentialLifetime { get; init; } = TimeSpan.FromDays(1);
}

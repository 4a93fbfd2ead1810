namespace Converge.Core.Federation;

/// <summary>
/// Which information elements about a contact may cross to the peer's users (seed 000 §7.1.7:
/// elements that may affect charging are the provider's to expose or not).
/// </summary>
public sealed record ExposurePolicy(bool ProviderBranding = false, bool DeviceType = false, bool AccessNetwork = false)
{
    public static ExposurePolicy None { get; } = new();
}

using Converge.Core.Federation;

namespace Converge.Configuration;

/// <summary>The provider's identity and its interconnection agreements, validated.</summary>
internal sealed record InterconnectionSettings(string? ProviderName, string? ProviderLogoUrl, IReadOnlyList<string> OwnNumberRanges, AgreementBook Agreements)
{
    public static InterconnectionSettings None { get; } = new(null, null, [], AgreementBook.Empty);
}

using Converge.Core.Addressing;

namespace Converge.Core.Interworking;

/// <summary>The outcome of <see cref="SmsDestinationPolicy.Check"/>: allowed or not, and the rule that decided, for the sender's error and the log.</summary>
public readonly record struct SmsDestinationDecision(bool Allowed, string Rule);

/// <summary>
/// Which numbers the SMS gateway may send to (Sms.DestinationPrefixes): the longest matching prefix
/// of the Allow and Deny lists decides (Deny on a tie); a number neither list names is allowed only
/// in the provider's home countries. Premium-rate and international destinations are what SMS
/// pumping is paid through, so they are closed unless the operator opens them. Pure, no I/O.
/// </summary>
public sealed class SmsDestinationPolicy(IReadOnlyList<string> allow, IReadOnlyList<string> deny, IReadOnlyList<string> homeCountryCodes)
{
    /// <summary>No rule at all: every number (a provider that configured no home country and no lists).</summary>
    public static SmsDestinationPolicy Open { get; } = new([], [], []);

    public IReadOnlyList<string> Allow { get; } = allow;

    public IReadOnlyList<string> Deny { get; } = deny;

    /// <summary>Country calling codes without '+' ("49").</summary>
    public IReadOnlyList<string> HomeCountryCodes { get; } = homeCountryCodes;

    public bool IsOpen => Allow.Count == 0 && Deny.Count == 0 && HomeCountryCodes.Count == 0;

    /// <summary>The home countries from the provider's own number ranges (+4940 → 49), for when none is configured.</summary>
    public static IReadOnlyList<string> HomeCountriesOf(IEnumerable<string> numberRanges) =>
        [.. numberRanges.Select(E164CountryCode.Of).OfType<string>().Distinct(StringComparer.Ordinal)];

    public SmsDestinationDecision Check(string e164)
    {
        var allowed = Longest(Allow, e164);
        var denied = Longest(Deny, e164);
        if (denied is not null && (allowed is null || denied.Length >= allowed.Length))
        {
            return new(false, $"Sms.DestinationPrefixes.Deny {denied}");
        }

        if (allowed is not null)
        {
            return new(true, $"Sms.DestinationPrefixes.Allow {allowed}");
        }

        if (HomeCountryCodes.Count == 0)
        {
            return new(true, "no home country configured");
        }

        foreach (var code in HomeCountryCodes)
        {
            if (e164.StartsWith("+" + code, StringComparison.Ordinal))
            {
                return new(true, "home country +" + code);
            }
        }

        return new(false, "outside the home country (+" + string.Join(", +", HomeCountryCodes) + ") and not in Sms.DestinationPrefixes.Allow");
    }

    private static string? Longest(IReadOnlyList<string> prefixes, string number)
    {
        string? best = null;
        foreach (var prefix in prefixes)
        {
            if (number.StartsWith(prefix, StringComparison.Ordinal) && (best is null || prefix.Length > best.Length))
            {
                best = prefix;
            }
        }

        return best;
    }
}

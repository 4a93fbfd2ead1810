using Converge.Interworking.Function;
using Converge.Interworking.Sms;
using Microsoft.Extensions.Configuration;

namespace Converge.Configuration;

/// <summary>The validated <c>Sms</c> section: the SMSC connection and the interworking rules.</summary>
internal sealed record SmsSettings(
    SmppOptions Smpp, IReadOnlyList<string> SourceNumbers, TimeSpan? FallbackAfter, TimeSpan ReplyWindow, TimeSpan SessionInviteTimeout, InterworkingTemplates Templates,
    SmsDestinationRules Destinations, int MaxPerSenderPerDay = SmsDestinationRules.DefaultMaxPerSenderPerDay, TimeSpan? InDoubtHold = null, TimeSpan? ReportTracking = null);

/// <summary>Sms.DestinationPrefixes and Sms.HomeCountryCode as configured (the home country falls back to Sms.CountryCode, then to Provider.NumberRanges).</summary>
internal sealed record SmsDestinationRules(IReadOnlyList<string> Allow, IReadOnlyList<string> Deny, string? HomeCountryCode)
{
    public const int DefaultMaxPerSenderPerDay = 500;

    public Core.Interworking.SmsDestinationPolicy Policy(string? countryCode, IReadOnlyList<string> ownNumberRanges) =>
        new(Allow, Deny, HomeCountryCode is { } home ? [home] : countryCode is { } cc ? [cc] : Core.Interworking.SmsDestinationPolicy.HomeCountriesOf(ownNumberRanges));
}

/// <summary>The texts an adapted session action becomes; {name} and {jid} are filled in.</summary>
internal sealed record InterworkingTemplates(string Invite, string Accepted, string Declined, string Ended, string InviteKeyword, string EndKeyword)
{
    public static InterworkingTemplates Default { get; } = FromSettings(new InterworkingSettings { Domain = "localhost" });

    public static InterworkingTemplates FromSettings(InterworkingSettings s) =>
        new(s.InviteTemplate, s.AcceptedTemplate, s.DeclinedTemplate, s.EndedTemplate, s.InviteKeyword, s.EndKeyword);

    /// <summary>A <c>Templates</c> section; each text it leaves out is <paramref name="fallback"/>'s.</summary>
    public static InterworkingTemplates Read(IConfigurationSection t, InterworkingTemplates fallback) =>
        new(
            t["Invite"] ?? fallback.Invite, t["Accepted"] ?? fallback.Accepted, t["Declined"] ?? fallback.Declined, t["Ended"] ?? fallback.Ended,
            t["InviteKeyword"] ?? fallback.InviteKeyword, t["EndKeyword"] ?? fallback.EndKeyword);
}

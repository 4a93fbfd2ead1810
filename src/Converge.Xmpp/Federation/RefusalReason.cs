using Converge.Core.Federation;

namespace Converge.Xmpp.Federation;

/// <summary>Why the interconnection policy refused a stanza, as a metrics label: a closed set of constants.</summary>
internal static class RefusalReason
{
    public const string NoAgreement = "no_agreement";
    public const string Transit = "transit";
    public const string AccountQuery = "account_query";
    public const string EmailInterworking = "email_interworking";
    public const string Interworking = "interworking";

    /// <summary>The feature the agreement does not grant, in lower case.</summary>
    public static string Feature(InterconnectionFeature feature) => feature switch
    {
        InterconnectionFeature.Messaging => "messaging",
        InterconnectionFeature.Presence => "presence",
        InterconnectionFeature.Subscription => "subscription",
        InterconnectionFeature.Search => "search",
        InterconnectionFeature.Sessions => "sessions",
        InterconnectionFeature.Interworking => "interworking",
        _ => "other",
    };
}

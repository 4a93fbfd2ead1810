using Converge.Xmpp.Stanzas;

namespace Converge.Xmpp.Routing;

/// <summary>
/// The names of the routing events, Prosody style: <c>kind/target</c> for local destinations,
/// <c>route/remote</c> and <c>route/legacy</c> for the routes out, <c>presence/outbound</c> for what a
/// client announces. IQ payload events (<c>iq-get/bare/ns:name</c>) are fired by the IQ dispatcher.
/// </summary>
internal static class RoutingEventNames
{
    public const string MessageBare = "message/bare";
    public const string MessageFull = "message/full";
    public const string MessageHost = "message/host";
    public const string PresenceBare = "presence/bare";
    public const string PresenceFull = "presence/full";
    public const string PresenceHost = "presence/host";
    public const string IqBare = "iq/bare";
    public const string IqFull = "iq/full";
    public const string IqHost = "iq/host";
    public const string MessageService = "message/service";
    public const string PresenceService = "presence/service";
    public const string IqService = "iq/service";

    /// <summary>Presence a local client sends: broadcasts, directed presence, subscription requests.</summary>
    public const string PresenceOutbound = "presence/outbound";

    /// <summary>To another provider over the interconnection.</summary>
    public const string RouteRemote = "route/remote";

    /// <summary>To an SMS or email user through the interworking function.</summary>
    public const string RouteLegacy = "route/legacy";

    public static readonly string[] Messages = [MessageBare, MessageFull];
    public static readonly string[] ToAccounts = [MessageBare, MessageFull, PresenceBare, PresenceFull, IqBare, IqFull];

    public static string For(StanzaKind kind, RouteTarget target) => target switch
    {
        RouteTarget.Remote => RouteRemote,
        RouteTarget.Legacy => RouteLegacy,
        _ => kind switch
        {
            StanzaKind.Message => target switch { RouteTarget.Bare => MessageBare, RouteTarget.Full => MessageFull, RouteTarget.Host => MessageHost, _ => MessageService },
            StanzaKind.Presence => target switch { RouteTarget.Bare => PresenceBare, RouteTarget.Full => PresenceFull, RouteTarget.Host => PresenceHost, _ => PresenceService },
            _ => target switch { RouteTarget.Bare => IqBare, RouteTarget.Full => IqFull, RouteTarget.Host => IqHost, _ => IqService },
        },
    };
}

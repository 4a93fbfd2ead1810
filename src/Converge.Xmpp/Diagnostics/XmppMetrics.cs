using System.Diagnostics;
using System.Diagnostics.Metrics;
using Converge.Core.Diagnostics;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Stanzas;

namespace Converge.Xmpp.Diagnostics;

/// <summary>
/// The XMPP side's counters, all on the hot path: every label value is a constant string chosen from a
/// fixed set (never a JID), and the overloads with up to three tags do not allocate. Figures read from
/// state that already exists (per-peer totals, link states, queues) are observed at scrape time by the
/// host instead, so that counting them costs nothing here.
/// </summary>
internal static class XmppMetrics
{
    public const string ListenerClient = "c2s";
    public const string ListenerDirectTls = "c2s_direct_tls";

    private static readonly UpDownCounter<long> Sessions = ConvergeMeter.UpDownCounter("converge.sessions", "{session}", "Bound client sessions, by the listener the client connected to");

    private static readonly Counter<long> Logins = ConvergeMeter.Counter("converge.logins", "{login}", "Successful SASL authentications of clients, by mechanism family");

    private static readonly Counter<long> LoginFailures = ConvergeMeter.Counter("converge.login.failures", "{login}", "Failed SASL authentications of clients, by the SASL condition sent");

    private static readonly Counter<long> Routed = ConvergeMeter.Counter("converge.stanzas.routed", "{stanza}", "Stanzas entering the routing step, by kind, route and the door they came in by");

    private static readonly Counter<long> Refused = ConvergeMeter.Counter("converge.agreement.refusals", "{stanza}", "Stanzas the interconnection policy refused, by peer (agreement domains only), direction and reason");

    private static readonly Counter<long> LegacyDecisions = ConvergeMeter.Counter("converge.interworking.decisions", "{message}", "Messages technology selection sent to a legacy channel, by channel and reason");

    public static void SessionBound(bool directTls) => Sessions.Add(1, ConvergeMeter.Tag("listener", directTls ? ListenerDirectTls : ListenerClient));

    public static void SessionEnded(string listener) => Sessions.Add(-1, ConvergeMeter.Tag("listener", listener));

    public static void LoginSucceeded(string mechanism) => Logins.Add(1, ConvergeMeter.Tag("mechanism", MechanismLabel(mechanism)));

    public static void LoginFailed(string condition) => LoginFailures.Add(1, ConvergeMeter.Tag("reason", ConditionLabel(condition)));

    public static void StanzaRouted(StanzaKind kind, RouteTarget target, StanzaOrigin origin) =>
        Routed.Add(1, new("kind", KindLabel(kind)), new("route", RouteLabel(target)), new("origin", OriginLabel(origin)));

    /// <param name="peer">The peer's domain when it has an agreement, else <c>other</c>: a domain nobody agreed on is unbounded.</param>
    public static void AgreementRefused(string peer, bool inbound, string reason) =>
        Refused.Add(1, new("peer", peer), new("direction", inbound ? "in" : "out"), new("reason", reason));

    public static void LegacyDecision(LegacyChannel channel, string reason) =>
        LegacyDecisions.Add(1, ConvergeMeter.Tag("channel", channel == LegacyChannel.Sms ? "sms" : "email"), ConvergeMeter.Tag("reason", reason));

    public static string KindLabel(StanzaKind kind) => kind switch
    {
        StanzaKind.Message => "message",
        StanzaKind.Presence => "presence",
        _ => "iq",
    };

    public static string RouteLabel(RouteTarget target) => target switch
    {
        RouteTarget.Remote => "remote",
        RouteTarget.Legacy => "legacy",
        RouteTarget.Service => "service",
        _ => "local",
    };

    public static string OriginLabel(StanzaOrigin origin) => origin switch
    {
        StanzaOrigin.Client => "client",
        StanzaOrigin.Peer => "peer",
        StanzaOrigin.Legacy => "legacy",
        StanzaOrigin.Component => "component",
        _ => "internal",
    };

    // Mechanism names come from our own list, but a label set must stay closed even if it grows.
    private static string MechanismLabel(string mechanism) => mechanism switch
    {
        "PLAIN" => "PLAIN",
        "SCRAM-SHA-1" => "SCRAM-SHA-1",
        "SCRAM-SHA-1-PLUS" => "SCRAM-SHA-1-PLUS",
        "SCRAM-SHA-256" => "SCRAM-SHA-256",
        "SCRAM-SHA-256-PLUS" => "SCRAM-SHA-256-PLUS",
        "SCRAM-SHA-512" => "SCRAM-SHA-512",
        "SCRAM-SHA-512-PLUS" => "SCRAM-SHA-512-PLUS",
        "EXTERNAL" => "EXTERNAL",
        _ => "other",
    };

    // RFC 6120 §6.5 names the SASL conditions; anything else is folded into one label.
    private static string ConditionLabel(string condition) => condition switch
    {
        "not-authorized" => "not-authorized",
        "aborted" => "aborted",
        "account-disabled" => "account-disabled",
        "credentials-expired" => "credentials-expired",
        "encryption-required" => "encryption-required",
        "incorrect-encoding" => "incorrect-encoding",
        "invalid-authzid" => "invalid-authzid",
        "invalid-mechanism" => "invalid-mechanism",
        "malformed-request" => "malformed-request",
        "mechanism-too-weak" => "mechanism-too-weak",
        "temporary-auth-failure" => "temporary-auth-failure",
        _ => "other",
    };
}

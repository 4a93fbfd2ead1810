namespace Converge.Xmpp.Federation;

/// <summary>One peer domain's links as an operator sees them (<c>converge agreement show</c>).</summary>
public sealed record PeerLinkReport(
    string Domain, string Outbound, string? OutboundAuthentication, int InboundLinks, int Queued,
    long StanzasIn, long StanzasOut, long Bounced, long LinksRefused, DateTimeOffset? LastActivity,
    long ForeignSendersDropped = 0, long UnsolicitedRepliesIn = 0, long UnsolicitedRepliesOut = 0);

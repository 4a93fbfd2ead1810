namespace Converge.Xmpp.Federation;

/// <summary>One peer domain as the operator sees it (<c>converge agreement show</c>): its links now and its totals since start.</summary>
/// <param name="Domain">The peer domain.</param>
/// <param name="Outbound">The outbound link's state.</param>
/// <param name="OutboundAuthentication">How the outbound link was authenticated ("dialback", "sasl-external"), null while not up.</param>
/// <param name="InboundLinks">Authenticated inbound links from this domain now.</param>
/// <param name="Queued">Stanzas waiting for the outbound link.</param>
/// <param name="StanzasIn">Stanzas received from the peer and handed to the router.</param>
/// <param name="StanzasOut">Stanzas written to the peer.</param>
/// <param name="Bounced">Stanzas for the peer returned to their senders with an error.</param>
/// <param name="LinksRefused">Links closed with a stream error for this domain (policy, spoofing, failed dialback, floods).</param>
/// <param name="LastActivity">When a stanza last crossed, either way.</param>
/// <param name="ForeignSendersDropped">Stanzas for the peer dropped because their sender is not ours.</param>
/// <param name="UnsolicitedRepliesIn">Errors and IQ results from the peer that answered nothing we sent, dropped.</param>
/// <param name="UnsolicitedRepliesOut">Errors and IQ results for the peer that answered nothing it sent, dropped.</param>
internal sealed record FederationPeerStatus(
    string Domain,
    OutboundLinkState Outbound,
    string? OutboundAuthentication,
    int InboundLinks,
    int Queued,
    long StanzasIn,
    long StanzasOut,
    long Bounced,
    long LinksRefused,
    DateTimeOffset? LastActivity,
    long ForeignSendersDropped,
    long UnsolicitedRepliesIn,
    long UnsolicitedRepliesOut);

namespace Converge.Xmpp.Federation.Rtbl;

/// <summary>One real-time blocklist: a pubsub node on a (usually remote) service (Federation.Rtbl).</summary>
/// <param name="Service">The pubsub service's JID, e.g. xmppbl.org.</param>
/// <param name="Node">The node whose item ids are SHA-256 hashes (lowercase hex) of listed JIDs or domains, e.g. muc_bans_sha256.</param>
public sealed record RtblSource(string Service, string Node);

namespace Converge.Xmpp.Federation.Dns;

/// <summary>One SRV answer (RFC 2782); a target of "." means the service is decidedly not offered.</summary>
internal sealed record SrvRecord(ushort Priority, ushort Weight, ushort Port, string Target);

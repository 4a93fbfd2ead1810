namespace Converge.Xmpp.Federation.Dns;

/// <summary>The resource record types the server-to-server layer asks for (RFC 1035, 3596, 2782).</summary>
internal enum DnsRecordType : ushort
{
    A = 1,
    Cname = 5,
    Aaaa = 28,
    Srv = 33,
}

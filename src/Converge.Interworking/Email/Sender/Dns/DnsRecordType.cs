namespace Converge.Interworking.Email;

/// <summary>The DNS record types the mail sender asks for (RFC 1035, RFC 3596).</summary>
internal enum DnsRecordType : ushort
{
    A = 1,
    CName = 5,
    Mx = 15,
    Aaaa = 28,
    Opt = 41,
}

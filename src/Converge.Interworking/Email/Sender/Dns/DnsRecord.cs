using System.Net;

namespace Converge.Interworking.Email;

/// <summary>One resource record of an answer: an address (A/AAAA), a mail exchanger (MX) or an alias (CNAME).</summary>
internal sealed record DnsRecord(string Name, DnsRecordType Type, int Preference = 0, string? Target = null, IPAddress? Address = null);

namespace Converge.Interworking.Email;

/// <summary>A parsed DNS response: its id, response code, truncation flag and records.</summary>
internal sealed record DnsResponse(ushort Id, int ResponseCode, bool Truncated, IReadOnlyList<DnsRecord> Answers, IReadOnlyList<DnsRecord> Additional)
{
    public const int NoError = 0;
    public const int NameError = 3;
}

namespace Converge.Interworking.Email;

/// <summary>The outcome of one DNS question.</summary>
internal sealed record DnsLookup(DnsLookupStatus Status, IReadOnlyList<DnsRecord> Answers, IReadOnlyList<DnsRecord> Additional)
{
    public static DnsLookup Failed { get; } = new(DnsLookupStatus.Failure, [], []);
}

using System.Net;

namespace Converge.Xmpp.Federation.Dns;

/// <summary>What a DNS server said about one question: its response code and the records of the asked type.</summary>
internal sealed record DnsAnswer(DnsResponseCode Code, IReadOnlyList<SrvRecord> Services, IReadOnlyList<IPAddress> Addresses)
{
    public static DnsAnswer Failed { get; } = new(DnsResponseCode.ServerFailure, [], []);

    public bool IsNameError => Code == DnsResponseCode.NameError;
}

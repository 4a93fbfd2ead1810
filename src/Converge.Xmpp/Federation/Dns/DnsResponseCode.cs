namespace Converge.Xmpp.Federation.Dns;

/// <summary>RCODE values of RFC 1035 §4.1.1 that change what the resolver does next.</summary>
internal enum DnsResponseCode
{
    NoError = 0,
    FormatError = 1,
    ServerFailure = 2,

    /// <summary>NXDOMAIN: the name does not exist.</summary>
    NameError = 3,
    NotImplemented = 4,
    Refused = 5,
}

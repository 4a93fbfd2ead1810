using Converge.Core.Accounts;
using Converge.Xmpp.Sasl;

namespace Converge.Xmpp.Tests.Sasl;

/// <summary>One account, "user" with password "pencil", with both SCRAM credentials, derived once for all tests.</summary>
internal static class SaslTestAccounts
{
    public const string Username = "user";
    public const string Password = "pencil";

    private static readonly ScramCredential[] Credentials =
    [
        ScramCredentials.Derive("SHA-1", Password),
        ScramCredentials.Derive("SHA-256", Password),
    ];

    /// <summary>The lookup the servers get: only <see cref="Username"/> exists.</summary>
    public static ScramCredential? Lookup(string username, string hash) =>
        username == Username ? Credentials.FirstOrDefault(c => c.Hash == hash) : null;

    /// <summary>A tls-server-end-point binding as if of a real certificate.</summary>
    public static readonly ChannelBinding Binding = new(ChannelBinding.TlsServerEndPoint, Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
}

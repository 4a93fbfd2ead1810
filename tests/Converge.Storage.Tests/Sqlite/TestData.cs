using Converge.Core.Accounts;
using Converge.Core.Addressing;

namespace Converge.Storage.Tests.Sqlite;

internal static class TestData
{
    public static Jid Alice { get; } = Jid.Parse("alice@a.example");
    public static Jid Bob { get; } = Jid.Parse("bob@b.example");
    public static Jid Carol { get; } = Jid.Parse("carol@a.example");

    public static Account Account(Jid jid, string? msisdn = null, string? email = null, byte seed = 1) => new(
        jid,
        [
            new ScramCredential("SHA-1", [seed, 1], 4096, [seed, 2], [seed, 3]),
            new ScramCredential("SHA-256", [seed, 4], 8192, [seed, 5], [seed, 6]),
        ],
        msisdn,
        email);
}

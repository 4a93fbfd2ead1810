using Converge.Core.Accounts;

namespace Converge.Storage.Tests.Sqlite;

/// <summary>Account records compare their credential lists by reference; these compare by content.</summary>
internal static class AccountAssert
{
    public static void Same(Account expected, Account? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Jid, actual.Jid);
        Assert.Equal(expected.Msisdn, actual.Msisdn);
        Assert.Equal(expected.Email, actual.Email);
        Assert.Equal(expected.CpmEnabled, actual.CpmEnabled);
        Assert.Equal(expected.RoamingCpm, actual.RoamingCpm);
        Assert.Equal(expected.Locked, actual.Locked);
        Assert.Equal(expected.Credentials.Count, actual.Credentials.Count);
        foreach (var credential in expected.Credentials)
        {
            var stored = actual.CredentialFor(credential.Hash);
            Assert.NotNull(stored);
            Assert.Equal(credential.Salt, stored.Salt);
            Assert.Equal(credential.Iterations, stored.Iterations);
            Assert.Equal(credential.StoredKey, stored.StoredKey);
            Assert.Equal(credential.ServerKey, stored.ServerKey);
        }
    }
}

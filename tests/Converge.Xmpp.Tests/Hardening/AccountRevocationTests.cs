using Converge.Core.Addressing;
using Converge.Core.Accounts;
using Converge.Xmpp.Sasl;
using Converge.Xmpp.Tests.Server;
using Converge.Xmpp.Tests.Support;

namespace Converge.Xmpp.Tests.Hardening;

/// <summary>A changed password or a lock ends the account's sessions; a locked account cannot log in.</summary>
public sealed class AccountRevocationTests
{
    [Fact]
    public async Task A_password_change_ends_every_session_of_that_account_and_no_other()
    {
        await using var server = await TestServer.StartAsync();
        await using var bobPhone = await server.LoginAsync("bob", "phone");
        await using var bobPc = await server.LoginAsync("bob", "pc");
        await using var alice = await server.LoginAsync("alice", "pc");

        var bob = (await server.Stores.Accounts.FindAsync(Jid.Parse("bob@example.test")))!;
        await server.Stores.Accounts.UpdateAsync(bob with { Credentials = TestServer.NewAccount("bob", "new-secret").Credentials });

        Assert.Equal("not-authorized", await bobPhone.ExpectStreamEndAsync());
        Assert.Equal("not-authorized", await bobPc.ExpectStreamEndAsync());
        await alice.SendAsync("<iq type='get' id='p' to='example.test'><ping xmlns='urn:xmpp:ping'/></iq>");
        await alice.ExpectAsync(e => e.GetAttribute("id") == "p");

        await using var bobAgain = await TestClient.LoginAsync(server.Endpoint, false, TestServer.Domain, "bob", "new-secret", "phone", available: true);
    }

    [Fact]
    public async Task A_change_that_keeps_the_password_keeps_the_sessions()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.LoginAsync("bob", "phone");
        var account = (await server.Stores.Accounts.FindAsync(Jid.Parse("bob@example.test")))!;
        await server.Stores.Accounts.UpdateAsync(account with { Email = "bob@mail.example" });

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (server.Server.FindAccount(Jid.Parse("bob@example.test"))?.Email is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the change never reached the server");
            await Task.Delay(50);
        }

        await bob.SendAsync("<iq type='get' id='p' to='example.test'><ping xmlns='urn:xmpp:ping'/></iq>");
        await bob.ExpectAsync(e => e.GetAttribute("id") == "p");
    }

    [Fact]
    public async Task A_locked_account_loses_its_sessions_and_is_refused_until_unlocked()
    {
        await using var server = await TestServer.StartAsync();
        await using var carol = await server.LoginAsync("carol", "phone");
        var account = (await server.Stores.Accounts.FindAsync(Jid.Parse("carol@example.test")))!;

        await server.Stores.Accounts.UpdateAsync(account with { Locked = true });
        Assert.Equal("not-authorized", await carol.ExpectStreamEndAsync());

        await using (var again = await TestClient.ConnectAsync(server.Endpoint))
        {
            await again.StartTlsAsync();
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => again.AuthenticatePlainAsync("carol", "secret-carol"));
            Assert.Contains("account-disabled", error.Message, StringComparison.Ordinal);
        }

        await server.Stores.Accounts.UpdateAsync(account with { Locked = false });
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (server.Server.FindAccount(Jid.Parse("carol@example.test"))?.Locked != false)
        {
            Assert.True(DateTime.UtcNow < deadline, "the unlock never reached the server");
            await Task.Delay(50);
        }

        await using var unlocked = await server.LoginAsync("carol", "phone");
    }

    [Fact]
    public void Unknown_users_get_the_same_fake_salt_however_the_name_is_cased()
    {
        var lower = UnknownUserCredential.For(ScramHash.Sha256, "bob");
        var upper = UnknownUserCredential.For(ScramHash.Sha256, "BOB");
        var other = UnknownUserCredential.For(ScramHash.Sha256, "rob");

        Assert.Equal(lower.Salt, upper.Salt);
        Assert.Equal(lower.StoredKey, upper.StoredKey);
        Assert.NotEqual(lower.Salt, other.Salt);
    }

    [Fact]
    public void The_scram_server_first_message_of_an_unknown_user_is_the_same_for_bob_and_BOB()
    {
        static string SaltIn(string user)
        {
            var scram = new ScramServer("SHA-256", plus: false, (_, _) => null, binding: null);
            var step = scram.Evaluate(System.Text.Encoding.UTF8.GetBytes($"n,,n={user},r=clientnonce"));
            var serverFirst = System.Text.Encoding.UTF8.GetString(step.Data!);
            return serverFirst.Split(',').Single(p => p.StartsWith("s=", StringComparison.Ordinal));
        }

        Assert.Equal(SaltIn("bob"), SaltIn("BOB"));
    }
}

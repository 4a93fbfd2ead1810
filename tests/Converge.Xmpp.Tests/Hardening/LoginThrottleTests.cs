using System.Net;
using System.Text;
using Converge.Xmpp.Server;
using Converge.Xmpp.Tests.Server;
using Converge.Xmpp.Tests.Support;

namespace Converge.Xmpp.Tests.Hardening;

/// <summary>The login throttle: consulted before an attempt is evaluated, shared by parallel guessers.</summary>
public sealed class LoginThrottleTests
{
    private static readonly IPAddress[] Addresses = [.. Enumerable.Range(1, 60).Select(i => IPAddress.Parse("192.0.2." + i))];

    [Fact]
    public void Fifty_parallel_guessers_get_their_turns_one_after_the_other_like_one_guesser()
    {
        var now = 0L;
        var throttle = new AuthThrottle(failuresBeforeDelay: 3, () => now);
        for (var i = 0; i < 4; i++)
        {
            throttle.Fail(Addresses[i], "alice@example.test");
        }

        // Fifty connections from fifty addresses try the same account at the same instant.
        var turns = Enumerable.Range(10, 50).Select(i => throttle.Reserve(Addresses[i], "alice@example.test")).ToList();

        var granted = turns.Where(t => t is not null).Select(t => t!.Value).ToList();
        Assert.All(granted, t => Assert.True(t > TimeSpan.Zero)); // none evaluated at once
        Assert.Equal(granted.Count, granted.Distinct().Count()); // no two at the same time
        var spacing = granted.Order().Zip(granted.Order().Skip(1), (a, b) => b - a).ToList();
        Assert.All(spacing, s => Assert.True(s >= TimeSpan.FromMilliseconds(500), s.ToString()));

        // One guesser gets one attempt per delay; the fifty together get no more in the same time.
        var oneGuesserPerTwoMinutes = (int)(AuthThrottle.MaxWait / TimeSpan.FromMilliseconds(500));
        Assert.True(granted.Count <= oneGuesserPerTwoMinutes, $"{granted.Count} turns");
        Assert.Equal(50, throttle.Delayed + throttle.Refused);
    }

    [Fact]
    public void Turns_too_far_away_are_refused_without_evaluating_and_without_being_reserved()
    {
        var now = 0L;
        var throttle = new AuthThrottle(failuresBeforeDelay: 0, () => now);
        for (var i = 0; i < 20; i++)
        {
            throttle.Fail(null, "bob@example.test"); // the delay is at its 30-second ceiling
        }

        var turns = Enumerable.Range(0, 10).Select(_ => throttle.Reserve(null, "bob@example.test")).ToList();

        Assert.Equal(4, turns.Count(t => t is not null)); // 30, 60, 90, 120 seconds
        Assert.Equal(6, throttle.Refused);
        now += (long)TimeSpan.FromSeconds(90).TotalMilliseconds; // failures are old, but the turns given out still stand
        Assert.Equal(TimeSpan.FromSeconds(60), throttle.Reserve(null, "bob@example.test"));
        now += (long)TimeSpan.FromMinutes(3).TotalMilliseconds; // a quiet spell forgets it all
        Assert.Equal(TimeSpan.Zero, throttle.Reserve(null, "bob@example.test"));
    }

    [Fact]
    public void The_account_is_counted_once_whatever_the_address_and_forgiven_on_success_but_the_address_is_not()
    {
        var throttle = new AuthThrottle(failuresBeforeDelay: 3);
        throttle.Fail(Addresses[0], "alice@example.test");
        throttle.Fail(Addresses[1], "alice@example.test");
        throttle.Fail(Addresses[0], "alice@example.test");

        Assert.Equal(3, throttle.FailuresOf("alice@example.test"));
        Assert.Equal(2, throttle.FailuresFrom(Addresses[0]));

        throttle.Succeeded("alice@example.test");
        Assert.Equal(0, throttle.FailuresOf("alice@example.test"));
        Assert.Equal(2, throttle.FailuresFrom(Addresses[0]));
    }

    [Fact]
    public void An_ipv6_guesser_is_counted_per_64_prefix()
    {
        var throttle = new AuthThrottle(failuresBeforeDelay: 3);
        throttle.Fail(IPAddress.Parse("2001:db8:1:2::1"), null);
        throttle.Fail(IPAddress.Parse("2001:db8:1:2:ffff::9"), null);

        Assert.Equal(2, throttle.FailuresFrom(IPAddress.Parse("2001:db8:1:2::77")));
        Assert.Equal(0, throttle.FailuresFrom(IPAddress.Parse("2001:db8:1:3::1")));
    }

    [Fact]
    public async Task Fifty_parallel_connections_guessing_one_account_are_all_made_to_wait_before_evaluation()
    {
        await using var server = await TestServer.StartAsync(c =>
        {
            c.AuthFailuresBeforeDelay = 3;
            c.MaxUnauthenticatedPerAddress = 0; // all fifty come from loopback
        });
        var throttle = server.Server.Context.AuthThrottle;
        for (var i = 0; i < 4; i++)
        {
            await using var guesser = await SecuredAsync(server);
            Assert.Equal("not-authorized", await GuessAsync(guesser, "ALICE", "wrong" + i)); // case differs: the same account
        }

        Assert.Equal(4, throttle.FailuresOf("alice@example.test"));
        Assert.Equal(0, throttle.Delayed);

        var guessers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => SecuredAsync(server)));
        try
        {
            await Task.WhenAll(guessers.Select((g, i) => g.SendAsync(PlainAuth(i % 2 == 0 ? "alice" : "Alice", "guess" + i))));

            // Every one of the fifty is given a turn (or refused) before its password is looked at.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (throttle.Delayed + throttle.Refused < 50)
            {
                Assert.True(DateTime.UtcNow < deadline, $"only {throttle.Delayed + throttle.Refused} of 50 attempts were throttled");
                await Task.Delay(20);
            }
        }
        finally
        {
            foreach (var g in guessers)
            {
                await g.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_right_password_waits_its_turn_too_while_the_account_is_throttled()
    {
        await using var server = await TestServer.StartAsync(c => c.AuthFailuresBeforeDelay = 2);
        var throttle = server.Server.Context.AuthThrottle;
        for (var i = 0; i < 3; i++)
        {
            await using var guesser = await SecuredAsync(server);
            Assert.Equal("not-authorized", await GuessAsync(guesser, "alice", "wrong" + i));
        }

        var delayedBefore = throttle.Delayed;
        await using var alice = await SecuredAsync(server);
        Assert.Equal("success", await GuessAsync(alice, "alice", "secret-alice"));
        Assert.True(throttle.Delayed > delayedBefore);
        Assert.Equal(0, throttle.FailuresOf("alice@example.test")); // forgiven once in
    }

    private static async Task<TestClient> SecuredAsync(TestServer server)
    {
        var client = await TestClient.ConnectAsync(server.Endpoint);
        await client.StartTlsAsync();
        await client.ExpectAsync(e => e.Name == "features");
        return client;
    }

    private static string PlainAuth(string user, string password) =>
        $"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{Convert.ToBase64String(Encoding.UTF8.GetBytes("\0" + user + "\0" + password))}</auth>";

    /// <returns>"success", or the failure's condition.</returns>
    private static async Task<string> GuessAsync(TestClient client, string user, string password)
    {
        await client.SendAsync(PlainAuth(user, password));
        var answer = await client.ExpectAsync(e => e.Name is "success" or "failure", TimeSpan.FromSeconds(60));
        return answer.Name == "success" ? "success" : answer.FirstElement()!.Name;
    }
}

using Converge.Interworking.Email;
using Converge.Interworking.Tests.Email.Support;

namespace Converge.Interworking.Tests.Email;

/// <summary>Limits.Smtp: a client cannot hold a session for ever, nor open many from one address.</summary>
public sealed class SmtpListenerLimitsTests
{
    private static async Task<RawSmtpClient> GreetedAsync(ListenerHarness harness)
    {
        var client = await harness.ConnectAsync();
        Assert.StartsWith("220 mx.a.example", await client.ReadReplyAsync(), StringComparison.Ordinal);
        return client;
    }

    [Fact]
    public async Task A_client_sending_noop_for_ever_is_cut_when_its_command_budget_is_spent()
    {
        await using var harness = ListenerHarness.Start(o => o.Limits = new SmtpLimits { MaxCommands = 50 });
        await using var client = await GreetedAsync(harness);

        Assert.StartsWith("250", await client.CommandAsync("EHLO client.test"), StringComparison.Ordinal);
        for (var i = 2; i <= 50; i++)
        {
            Assert.StartsWith("250", await client.CommandAsync(i % 2 == 0 ? "NOOP" : "RSET"), StringComparison.Ordinal);
        }

        Assert.StartsWith("421 4.7.0", await client.CommandAsync("NOOP"), StringComparison.Ordinal);
        Assert.True(await client.IsClosedAsync());
        Assert.True(await harness.Log.WaitForEventAsync(4511, TimeSpan.FromSeconds(5)), string.Join("\n", harness.Log.Events));
    }

    [Fact]
    public async Task A_busy_session_ends_when_its_lifetime_is_over()
    {
        await using var harness = ListenerHarness.Start(o => o.Limits = new SmtpLimits { SessionLifetime = TimeSpan.FromSeconds(2), MaxCommands = int.MaxValue });
        await using var client = await GreetedAsync(harness);

        // NOOP as fast as answered: neither the command timeout nor the budget ever fires, only the lifetime.
        string reply;
        var noops = 0;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        do
        {
            reply = await client.CommandAsync("NOOP");
            noops++;
        }
        while (reply.StartsWith("250", StringComparison.Ordinal) && DateTime.UtcNow < deadline);

        Assert.StartsWith("421 4.4.2", reply, StringComparison.Ordinal);
        Assert.True(noops > 1);
        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task Sessions_beyond_the_per_address_limit_are_refused_and_a_freed_place_is_taken_again()
    {
        await using var harness = ListenerHarness.Start(o => o.Limits = new SmtpLimits { MaxUnauthenticatedPerAddress = 2 });
        await using var first = await GreetedAsync(harness);
        await using var second = await GreetedAsync(harness);

        await using (var third = await harness.ConnectAsync())
        {
            Assert.StartsWith("421 4.7.0", await third.ReadReplyAsync(), StringComparison.Ordinal);
            Assert.True(await third.IsClosedAsync());
        }

        Assert.StartsWith("221", await first.CommandAsync("QUIT"), StringComparison.Ordinal);
        Assert.True(await first.IsClosedAsync());

        // The first session's place is freed when the server has closed it; it may take a moment to notice.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var again = await harness.ConnectAsync();
            var greeting = await again.ReadReplyAsync();
            if (greeting.StartsWith("220", StringComparison.Ordinal))
            {
                Assert.StartsWith("250", await again.CommandAsync("NOOP"), StringComparison.Ordinal);
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "the freed place was never given again: " + greeting);
            await Task.Delay(100);
        }

        Assert.StartsWith("250", await second.CommandAsync("NOOP"), StringComparison.Ordinal);
    }
}

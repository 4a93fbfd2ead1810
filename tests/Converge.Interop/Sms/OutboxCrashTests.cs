using Converge.Interop.Support;
using Xunit.Abstractions;
using static Converge.Interop.Sms.SmsWorld;

namespace Converge.Interop.Sms;

/// <summary>
/// The outbox is durable: the server is killed with SIGKILL while Mary's messages are still in it,
/// started again on the same data directory, and every message reaches Peter's handset in order.
/// Each test runs its own provider on the shared network, since it kills it.
/// </summary>
[Collection(SmsNetworkCollection.Name)]
public sealed class OutboxCrashTests(SmsWorld world, ITestOutputHelper output)
{
    private const int Count = 30;
    private const int FlowingCount = 100;

    // The submission whose bind the SMSC drops unanswered: the kill lands while the ESME waits to bind
    // again, with half the outbox still in it (timing alone let a fast SMSC drain it before the kill).
    private const int DropAtSubmission = 50;
    private static readonly Subscriber CrashMary = new("mary", "+4917100100");

    [Fact]
    public async Task Messages_in_the_outbox_while_the_bind_is_down_reach_the_handset_after_a_kill_and_restart_once_each_in_order()
    {
        const string systemId = "conv-crash1";
        const string peter = "+4915190000001";
        await using var server = await StartServerAsync(world.Network, systemId, [], ["+4940666000"], [CrashMary]);
        string Context() => $"\n--- server log:\n{server.Log}\n--- SMSC simulator:\n{world.Network.Log}";
        var expected = Enumerable.Range(1, Count).Select(i => $"Before the crash {i:00}").ToList();

        // The 10th submission drops the bind unanswered; the rest wait in the outbox for a new bind,
        // which cannot come before the restart: the network no longer takes the password.
        await world.Network.DropAfterSubmitsAsync(systemId, 10);
        await world.Network.AddProviderAsync(systemId, "changed");
        await using (var mary = await CpmClient.StartAsync(server.ClientPort, CrashMary, Context))
        {
            foreach (var text in expected)
            {
                await mary.SendAsync(JidOf(peter), text);
            }

            await mary.SyncAsync(); // all accepted, so all stored
            await world.Network.WaitForEventAsync("drop", systemId, TimeSpan.FromSeconds(20));
            await server.KillAsync();
        }

        Assert.Equal(expected[..9], (await world.Network.MessagesAsync(peter)).Select(m => m.Text));

        await world.Network.AddProviderAsync(systemId, SmppPassword);
        var inbox = await RestartAndFinishAsync(server, peter, Count + 1, Context);
        Assert.Equal([.. expected, "After the restart"], inbox.Select(m => m.Text));
    }

    /// <summary>
    /// Killed while submissions flow, the server may have had a part accepted by the SMSC without
    /// having marked it done in the outbox: that one message is sent again after the restart
    /// (at-least-once; SMPP has no way to ask the SMSC whether it already holds a submission).
    /// Nothing else may repeat, nothing may be lost, and the order holds.
    /// </summary>
    [Fact]
    public async Task Messages_in_the_outbox_while_submissions_flow_reach_the_handset_after_a_kill_and_restart_in_order_repeating_at_most_the_one_in_flight()
    {
        const string systemId = "conv-crash2";
        const string peter = "+4915190000002";
        await using var server = await StartServerAsync(world.Network, systemId, [], ["+4940666000"], [CrashMary]);
        string Context() => $"\n--- server log:\n{server.Log}\n--- SMSC simulator:\n{world.Network.Log}";
        // Enough that the outbox, filled in one burst, is still draining when the kill lands.
        var expected = Enumerable.Range(1, FlowingCount).Select(i => $"Flowing {i:000}").ToList();

        await world.Network.DropAfterSubmitsAsync(systemId, DropAtSubmission);
        await using (var mary = await CpmClient.StartAsync(server.ClientPort, CrashMary, Context))
        {
            await mary.BurstAsync(JidOf(peter), expected);
            await mary.SyncAsync();
            await world.Network.WaitForEventAsync("drop", systemId, TimeSpan.FromSeconds(20));
            await server.KillAsync();
        }

        var beforeRestart = await world.Network.MessagesAsync(peter);
        var atKill = beforeRestart.LastOrDefault()?.Text;
        output.WriteLine($"{beforeRestart.Count} message(s) had reached the handset at the kill, the last: {atKill}");
        output.WriteLine("the server's last submissions before the kill:\n" + string.Join("\n", server.Log.Split("----- killed")[0]
            .Split('\n').Where(l => l.Contains("Outbox item", StringComparison.Ordinal)).TakeLast(3)));
        Assert.True(beforeRestart.Count < FlowingCount, "the kill came too late to leave anything in the outbox");

        var got = (await RestartAndFinishAsync(server, peter, FlowingCount + 1, Context)).Select(m => m.Text).ToList();
        var repeated = got.Where((text, i) => i > 0 && got[i - 1] == text).ToList();
        output.WriteLine($"repeated after the restart: [{string.Join(", ", repeated)}]");
        var once = got.Where((text, i) => i == 0 || got[i - 1] != text).ToList();
        Assert.Equal([.. expected, "After the restart"], once);
        Assert.True(
            repeated.Count == 0 || (repeated.Count == 1 && repeated[0] == atKill),
            $"only the message in flight at the kill ({atKill}) may arrive twice; repeated: [{string.Join(", ", repeated)}]{Context()}");
    }

    /// <summary>Restarts the server; Mary logs in again and writes once more, and that last message closes the stream.</summary>
    private async Task<IReadOnlyList<HandsetMessage>> RestartAndFinishAsync(ConvergeServer server, string peter, int total, Func<string> context)
    {
        await server.RestartAsync();
        await using var mary = await CpmClient.StartAsync(server.ClientPort, CrashMary, context);
        await mary.SendAsync(JidOf(peter), "After the restart");
        var inbox = await world.Network.InboxUntilAsync(peter, "After the restart", TimeSpan.FromSeconds(60), context, atLeast: total);
        output.WriteLine($"the handset got {inbox.Count} message(s) in all");
        return inbox;
    }
}

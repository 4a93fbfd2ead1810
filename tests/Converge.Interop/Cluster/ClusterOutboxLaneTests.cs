using System.Globalization;
using System.Text.Json.Nodes;
using Converge.Interop.Scenarios;
using Converge.Interop.Sms;
using Converge.Interop.Support;
using Converge.Testing;
using Xunit.Abstractions;

namespace Converge.Interop.Cluster;

/// <summary>
/// Two `converge serve` nodes on one PostgreSQL database, both bound to the simulated SMSC (the npm
/// smpp package) as one provider. An SMS to Mary's number arrives on the bind of the node she is not
/// connected to and still reaches her. Mary's SMS to one handset leave from one node at a time (the
/// lane's lease; either node may take it first): the node sending them is SIGKILLed with a submission
/// in flight whose response the SMSC withheld; the other node takes the lane over once the lease
/// lapsed, adopts the SMSC's report for the part in doubt instead of sending it again, and sends the
/// rest and what Mary writes next (after reconnecting to it, when the killed node was hers) - each
/// once, in order.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterOutboxLaneTests(PostgresServer postgres, ITestOutputHelper output)
{
    private const string SystemId = "conv-lane";
    private const string Peter = "+4915193000001";
    private const string Handset = "+4915193000077";
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(5);
    private static readonly Subscriber Mary = new("mary", "+4917500100");

    [Fact]
    public async Task A_lane_is_sent_by_one_node_and_goes_on_in_order_from_the_other_after_a_kill_and_an_mo_sms_reaches_a_recipient_on_the_other_node()
    {
        var connectionString = await postgres.DatabaseAsync("interop_cluster_lane");
        await using var network = await SmscSimulator.StartAsync();
        await network.AddProviderAsync(SystemId, SmsWorld.SmppPassword, "+4917500");

        // n2 binds first: the simulator hands mobile-originated SMS and reports to the first bind it knows.
        await using var n2 = await Node(connectionString, network, "n2", new Subscriber("nina")).StartAsync();
        var n2Bind = await BindSessionAsync(network, 1);
        await using var n1 = await Node(connectionString, network, "n1", Mary).StartAsync();
        var n1Bind = await BindSessionAsync(network, 2);
        await ClusterNodes.SeesAsync(n1, "n2");
        await ClusterNodes.SeesAsync(n2, "n1");
        string Context() => $"\n--- n1:\n{n1.Log}\n--- n2:\n{n2.Log}\n--- SMSC simulator:\n{network.Log}";

        var expected = Enumerable.Range(1, 30).Select(i => $"Lane {i:00}").ToList();
        var mary = await CpmClient.StartAsync(n1.ClientPort, Mary, Context);
        try
        {
            // Mary is on n1; the SMS to her number comes in on n2's bind.
            await network.SendAsync(Handset, Mary.Msisdn!, "Hello Mary, from a handset");
            var mo = await mary.MessageAsync(m => m.Body == "Hello Mary, from a handset", "the MO SMS through the other node", Arrival);
            Assert.Equal(SmsWorld.JidOf(Handset), mo.From.Split('/')[0]);
            // The simulator records the delivery once the deliver_sm_resp is back, which may be after
            // Mary already has the message: wait for the event rather than read it at once.
            await network.WaitForEventAsync("delivered", e => e.GetProperty("systemId").GetString() == SystemId, Arrival);
            var delivered = (await network.EventsAsync("delivered")).Where(e => e.GetProperty("systemId").GetString() == SystemId).ToList();
            Assert.All(delivered, e => Assert.Equal(n2Bind, e.GetProperty("session").GetInt32()));

            // Five go out normally, from whichever node took the lane first (both run a dispatcher over
            // the shared outbox); the sixth is delivered and reported, but its response never comes back.
            foreach (var text in expected[..5])
            {
                await mary.SendAsync(SmsWorld.JidOf(Peter), text);
            }

            await network.ExpectInboxAsync(Peter, 5, Arrival, Context);
            var holderBind = (await SubmittersAsync(network))[0];
            var (holder, survivor, survivorBind) = holderBind == n1Bind ? (n1, n2, n2Bind) : (n2, n1, n1Bind);
            output.WriteLine($"the lane is held by {(holder == n1 ? "n1, Mary's node" : "n2")}");
            await network.WithholdResponsesAsync(SystemId, 1);
            await mary.BurstAsync(SmsWorld.JidOf(Peter), expected[5..20]);
            await mary.SyncAsync(); // all twenty acknowledged, so stored in the shared outbox
            await network.WaitForEventAsync("withheld", SystemId, Arrival);
            await holder.KillAsync();

            var atKill = await network.MessagesAsync(Peter);
            Assert.Equal(expected[..6], atKill.Select(m => m.Text));
            if (holder == n1)
            {
                // Mary's node died with her session: she reconnects to n2 and writes on.
                await mary.DisposeAsync();
                mary = await CpmClient.StartAsync(n2.ClientPort, Mary, Context);
            }

            await mary.BurstAsync(SmsWorld.JidOf(Peter), expected[20..]);
            await mary.SyncAsync();
            var inbox = await network.InboxUntilAsync(Peter, expected[^1], TimeSpan.FromSeconds(60), Context, atLeast: expected.Count);
            Assert.Equal(expected, inbox.Select(m => m.Text));

            // The part in doubt was settled by its report, not sent again (docs/durability.md).
            Assert.Contains("it is not submitted again", survivor.Log, StringComparison.Ordinal);
            Assert.DoesNotContain("submitting it again", survivor.Log, StringComparison.Ordinal);

            // One node at a time: the holder's bind submitted the first six, the survivor's every one after.
            var submitters = await SubmittersAsync(network);
            output.WriteLine($"submitting binds in order: {string.Join(' ', submitters)} (n1 {n1Bind}, n2 {n2Bind})");
            Assert.Equal([.. Enumerable.Repeat(holderBind, 6), .. Enumerable.Repeat(survivorBind, 24)], submitters);
        }
        finally
        {
            await mary.DisposeAsync();
        }
    }

    /// <summary>The simulator's bind session of each submit_sm to Peter, in order.</summary>
    private static async Task<List<int>> SubmittersAsync(SmscSimulator network) =>
        [.. (await network.EventsAsync("submit"))
            .Where(e => e.GetProperty("to").GetString() == Peter)
            .Select(e => e.GetProperty("session").GetInt32())];

    /// <summary>A cluster node bound to <paramref name="network"/>, with a short outbox lane lease so a dead node's lanes wait seconds.</summary>
    private static ConvergeServer Node(string connectionString, SmscSimulator network, string name, Subscriber subscriber)
    {
        var template = ClusterNodes.Node(connectionString, name, [subscriber.Name]);
        var extra = template.ExtraConfig!;
        ((JsonObject)extra["Cluster"]!)["OutboxLaneLease"] = Lease.ToString("c", CultureInfo.InvariantCulture);
        var sms = SmsWorld.SmsSection(network, SystemId, ["+4940777000"]);
        sms["InDoubtHold"] = "00:02:00";
        extra["Sms"] = sms;
        return new ConvergeServer
        {
            Users = [subscriber.Name],
            UserOptions = new Dictionary<string, IReadOnlyList<string>> { [subscriber.Name] = subscriber.AddOptions },
            ExtraConfig = extra,
            ReadyWhen = [SmsWorld.SmppBound(SystemId)],
        };
    }

    /// <summary>The simulator's session id of the <paramref name="nth"/> bind of the provider (each node binds once).</summary>
    private static async Task<int> BindSessionAsync(SmscSimulator network, int nth)
    {
        var binds = (await network.EventsAsync("bind")).Where(e => e.GetProperty("systemId").GetString() == SystemId).ToList();
        Assert.True(binds.Count == nth, $"expected {nth} bind(s) of {SystemId}, the simulator saw {binds.Count}: {string.Join(", ", binds.Select(b => b.GetRawText()))}");
        return binds[^1].GetProperty("session").GetInt32();
    }
}

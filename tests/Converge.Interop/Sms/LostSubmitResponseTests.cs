using Converge.Interop.Support;
using static Converge.Interop.Sms.SmsWorld;

namespace Converge.Interop.Sms;

/// <summary>
/// Issue 15, item 4: SIGKILL between a submit_sm and its response. The simulated SMSC accepts and
/// delivers the SMS but withholds the submit_sm_resp, so the killed server never learnt the message
/// id. The part was recorded as "being submitted" before it was written; after the restart it is not
/// sent blindly again: the SMSC's delivery report, from that handset to that sender number with an id
/// nobody knows, tells the server the SMSC has it. Without any report within Sms.InDoubtHold the part
/// is sent again - the documented exception (docs/durability.md), asserted by the second test.
/// </summary>
[Collection(SmsNetworkCollection.Name)]
public sealed class LostSubmitResponseTests(SmsWorld world)
{
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_submission_whose_response_a_kill_lost_reaches_the_handset_once_when_the_smsc_reports_it_after_the_restart()
    {
        const string systemId = "conv-lost-resp1";
        const string peter = "+4915192000001";
        var mary = new Subscriber("mary", "+4917300100");
        await using var server = await StartServerAsync(world.Network, systemId, ["+4917300"], ["+4940888000"], [mary],
            sms => sms["InDoubtHold"] = "00:10:00");
        string Context() => $"\n--- server log:\n{server.Log}\n--- SMSC simulator:\n{world.Network.Log}";

        // The report comes late enough to find the server killed: it waits at the SMSC for the new bind.
        await world.Network.ConfigureAsync(new { receiptDelayMs = 6000 });
        try
        {
            await world.Network.WithholdResponsesAsync(systemId, 1);
            await using (var client = await CpmClient.StartAsync(server.ClientPort, mary, Context))
            {
                await client.SendAsync(JidOf(peter), "Only once", id: "once-1", receipt: true);
                Assert.Equal(["Only once"], (await world.Network.ExpectInboxAsync(peter, 1, Arrival, Context)).Select(m => m.Text));
                await world.Network.WaitForEventAsync("withheld", systemId, Arrival);
                await server.KillAsync();
            }

            await server.RestartAsync();
            await using var again = await CpmClient.StartAsync(server.ClientPort, mary, Context);
            await again.SendAsync(JidOf(peter), "After the restart");

            // Same lane: "After the restart" leaves only once the first message is settled.
            var inbox = await world.Network.InboxUntilAsync(peter, "After the restart", TimeSpan.FromSeconds(90), Context, atLeast: 2);
            Assert.Equal(["Only once", "After the restart"], inbox.Select(m => m.Text));
            Assert.Contains("it is not submitted again", server.Log, StringComparison.Ordinal);
            Assert.DoesNotContain("submitting it again", server.Log, StringComparison.Ordinal);

            // The adopted report is Mary's XEP-0184 receipt, although the server that submitted it died.
            var receipt = await again.MessageAsync(m => m.Received == "once-1", "the receipt for the message submitted before the kill");
            Assert.Equal(JidOf(peter), receipt.From);
        }
        finally
        {
            await world.Network.ConfigureAsync(new { receiptDelayMs = 0 });
        }
    }

    [Fact]
    public async Task Without_a_delivery_report_the_part_in_doubt_is_sent_again_after_the_hold_the_documented_exception()
    {
        const string systemId = "conv-lost-resp2";
        const string peter = "+4915192000002";
        var mary = new Subscriber("mary", "+4917400100");
        await using var server = await StartServerAsync(world.Network, systemId, ["+4917400"], ["+4940999000"], [mary],
            sms => sms["InDoubtHold"] = "00:00:03");
        string Context() => $"\n--- server log:\n{server.Log}\n--- SMSC simulator:\n{world.Network.Log}";

        await world.Network.ConfigureAsync(new { receipts = "none" });
        try
        {
            await world.Network.WithholdResponsesAsync(systemId, 1);
            await using (var client = await CpmClient.StartAsync(server.ClientPort, mary, Context))
            {
                await client.SendAsync(JidOf(peter), "Maybe twice");
                await world.Network.ExpectInboxAsync(peter, 1, Arrival, Context);
                await world.Network.WaitForEventAsync("withheld", systemId, Arrival);
                await server.KillAsync();
            }

            await server.RestartAsync();
            await using var again = await CpmClient.StartAsync(server.ClientPort, mary, Context);
            await again.SendAsync(JidOf(peter), "After the restart");

            var inbox = await world.Network.InboxUntilAsync(peter, "After the restart", TimeSpan.FromSeconds(90), Context, atLeast: 3);
            Assert.Equal(["Maybe twice", "Maybe twice", "After the restart"], inbox.Select(m => m.Text));
            Assert.Contains("submitting it again (the handset may get it twice)", server.Log, StringComparison.Ordinal);
        }
        finally
        {
            await world.Network.ConfigureAsync(new { receipts = "both" });
        }
    }
}

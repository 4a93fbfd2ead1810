using static Converge.Interop.Sms.SmsWorld;

namespace Converge.Interop.Sms;

/// <summary>What the SMS network says about Mary's messages comes back to her over XMPP: a refusal as an error message, a delivery report as a XEP-0184 receipt.</summary>
[Collection(SmsNetworkCollection.Name)]
public sealed class DeliveryReportTests(SmsWorld world)
{
    private const int InvalidDestinationAddress = 0x0B; // ESME_RINVDSTADR: permanent

    [Fact]
    public async Task A_permanent_refusal_comes_back_to_mary_as_an_error_message_naming_the_reason()
    {
        const string peter = "+4915160000001";
        await using var mary = await world.ClientAsync(Mary);
        await world.Network.ThrottleAsync(SystemId, 1, InvalidDestinationAddress);

        await mary.SendAsync(JidOf(peter), "This one is refused", thread: "refusal", id: "refused-1");

        var error = await mary.MessageAsync(m => m.Type == "error" && m.Id == "refused-1", "the error for the refused SMS", TimeSpan.FromSeconds(10));
        Assert.Equal(JidOf(peter), error.From);
        Assert.NotNull(error.Error);
        Assert.False(string.IsNullOrEmpty(error.Error.Condition));
        Assert.Matches("(?i)refused.*(InvalidDestinationAddress|RINVDSTADR|0x0*B\\b)", error.Error.Text ?? "");

        // The refusal was permanent: the network never saw the message again, and the lane goes on.
        await mary.SendAsync(JidOf(peter), "This one arrives", thread: "refusal", id: "accepted-1");
        var inbox = await world.Network.ExpectInboxAsync(peter, 1, TimeSpan.FromSeconds(20), world.Context);
        Assert.Equal(["This one arrives"], inbox.Select(m => m.Text));
    }

    [Fact]
    public async Task A_delivery_report_comes_back_as_one_receipt_per_message_once_every_part_arrived()
    {
        const string peter = "+4915160000002";
        var longText = string.Concat(Enumerable.Repeat("A long message in several parts. ", 12));
        await using var mary = await world.ClientAsync(Mary);

        await mary.SendAsync(JidOf(peter), "Did you get this?", id: "dlr-short", receipt: true);
        await mary.SendAsync(JidOf(peter), longText, id: "dlr-long", receipt: true);
        await mary.SendAsync(JidOf(peter), "And this?", id: "dlr-last", receipt: true);

        var inbox = await world.Network.ExpectInboxAsync(peter, 3, TimeSpan.FromSeconds(20), world.Context);
        Assert.True(inbox[1].Parts.Count > 1, "the long message should have gone out in several parts");
        // The network reports in order, so once the last message's receipt is in, every report has been handled.
        await mary.MessageAsync(m => m.Received == "dlr-last", "the receipt for the last message");
        var receipts = mary.Received.Where(m => m.Received is not null).ToList();
        Assert.Equal(["dlr-short", "dlr-long", "dlr-last"], receipts.Select(m => m.Received));
        Assert.All(receipts, m => Assert.Equal(JidOf(peter), m.From));
    }
}

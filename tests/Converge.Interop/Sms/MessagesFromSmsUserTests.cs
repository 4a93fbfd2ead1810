using static Converge.Interop.Sms.SmsWorld;

namespace Converge.Interop.Sms;

/// <summary>Seed 003, 5.9.5: John, who has only SMS, texts Mary's number; Mary's XMPP client gets the messages.</summary>
[Collection(SmsNetworkCollection.Name)]
public sealed class MessagesFromSmsUserTests(SmsWorld world)
{
    [Fact]
    public async Task Johns_sms_reach_marys_client_in_order_from_his_number_in_one_thread()
    {
        const string john = "+4915120000001";
        await using var mary = await world.ClientAsync(Mary);
        string[] texts = ["Mary, John here", "Running late", "See you at the station"];
        foreach (var text in texts)
        {
            await world.Network.SendAsync(john, Mary.Msisdn!, text);
        }

        var got = await mary.MessagesAsync(m => m.From == JidOf(john), texts.Length, "John's three SMS");

        Assert.Equal(texts, got.Select(m => m.Body));
        Assert.All(got, m => Assert.Equal("chat", m.Type));
        Assert.All(got, m => Assert.False(string.IsNullOrEmpty(m.Thread), "an SMS reaches a CPM user in a <thread>"));
        Assert.Single(got.Select(m => m.Thread).Distinct());
    }

    [Fact]
    public async Task A_long_concatenated_sms_reaches_marys_client_as_one_message()
    {
        const string john = "+4915120000002";
        var text = string.Concat(Enumerable.Repeat("This is a long story about the weekend {and more}. ", 7));
        await using var mary = await world.ClientAsync(Mary);

        await world.Network.SendAsync(john, Mary.Msisdn!, text);
        await world.Network.SendAsync(john, Mary.Msisdn!, "The end");

        var got = await mary.MessagesAsync(m => m.From == JidOf(john), 2, "John's long SMS and the short one after it");
        Assert.Equal([text, "The end"], got.Select(m => m.Body));
    }
}

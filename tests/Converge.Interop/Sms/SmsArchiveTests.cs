using static Converge.Interop.Sms.SmsWorld;

namespace Converge.Interop.Sms;

/// <summary>Seed 003, flow 4: all of Mary's messages, whatever carried them, are in her server-side archive (XEP-0313).</summary>
[Collection(SmsNetworkCollection.Name)]
public sealed class SmsArchiveTests(SmsWorld world)
{
    [Fact]
    public async Task Marys_sms_carried_messages_both_ways_are_in_her_archive_in_order()
    {
        const string peter = "+4915170000001";
        await using var mary = await world.ClientAsync(Mary);

        await mary.SendAsync(JidOf(peter), "Out by SMS", thread: "archive-thread");
        await world.Network.ExpectInboxAsync(peter, 1, TimeSpan.FromSeconds(20), world.Context);
        await world.Network.SendAsync(peter, Mary.Msisdn!, "Back by SMS");
        await mary.MessageAsync(m => m.From == JidOf(peter) && m.Body == "Back by SMS", "Peter's SMS");

        var archived = await mary.ArchiveAsync(JidOf(peter));

        Assert.Equal(["Out by SMS", "Back by SMS"], archived.Select(m => m.Body));
        Assert.Equal(Mary.Jid, archived[0].From.Split('/')[0]);
        Assert.Equal(JidOf(peter), archived[0].To);
        Assert.Equal(JidOf(peter), archived[1].From);
        Assert.Equal("archive-thread", archived[0].Thread);
        Assert.Equal("archive-thread", archived[1].Thread);
    }
}

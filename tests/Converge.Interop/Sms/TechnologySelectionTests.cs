using static Converge.Interop.Sms.SmsWorld;

namespace Converge.Interop.Sms;

/// <summary>
/// Technology selection (CPM-IOP-003/005): Mary writes to rita@domain every time and never picks
/// the technology; what Rita's account says (changed with <c>converge user set</c> while the
/// server runs) and whether she is online decide between XMPP and SMS to her number.
/// </summary>
[Collection(SmsNetworkCollection.Name)]
public sealed class TechnologySelectionTests(SmsWorld world)
{
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Rita_gets_xmpp_when_online_and_cpm_and_sms_when_not_cpm_or_offline_roaming_without_cpm()
    {
        var handset = Rita.Msisdn!;
        await using var mary = await world.ClientAsync(Mary);

        // Offline, CPM-enabled, roaming where CPM is unsupported: SMS.
        await world.Server.SetUserAsync(Rita.Jid, "--cpm", "true", "--roaming-cpm", "false");
        await mary.SendAsync(Rita.Jid, "Roaming? This comes by SMS");
        var roaming = Assert.Single(await world.Network.ExpectInboxAsync(handset, 1, Arrival, world.Context));
        Assert.Equal(("Roaming? This comes by SMS", Mary.Msisdn), (roaming.Text, roaming.From));

        // Online and CPM-enabled: XMPP, and nothing more on her handset.
        await world.Server.SetUserAsync(Rita.Jid, "--roaming-cpm", "true");
        await using var rita = await world.ClientAsync(Rita);
        await rita.SyncAsync(); // her initial presence has been handled: she is online
        await mary.SendAsync(Rita.Jid, "Online: this comes by XMPP");
        var xmpp = await rita.MessageAsync(m => m.Body == "Online: this comes by XMPP", "Mary's message over XMPP");
        Assert.Equal(Mary.Jid, xmpp.From.Split('/')[0]);
        // Routing chose one technology for the message; it reached XMPP, so the handset must not have it.
        Assert.Single(await world.Network.MessagesAsync(handset));

        // Not CPM-enabled: SMS even though her client is online.
        await world.Server.SetUserAsync(Rita.Jid, "--cpm", "false");
        await mary.SendAsync(Rita.Jid, "Not CPM: this comes by SMS");
        var inbox = await world.Network.ExpectInboxAsync(handset, 2, Arrival, world.Context);
        Assert.Equal(("Not CPM: this comes by SMS", Mary.Msisdn), (inbox[1].Text, inbox[1].From));
        await rita.SyncAsync();
        Assert.DoesNotContain(rita.Received, m => m.Body == "Not CPM: this comes by SMS");
    }
}

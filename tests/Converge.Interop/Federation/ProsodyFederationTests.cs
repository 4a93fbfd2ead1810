using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Federation;

/// <summary>Converge and Prosody (prosody.test) on loopback with an agreement: one instance of each per class.</summary>
public sealed class ProsodyFederation : PeerFederation
{
    private protected override string PeerName => "prosody";

    private protected override async Task<PeerServer> StartPeerAsync(int dnsPort) =>
        await ProsodyServer.StartAsync("prosody.test", dnsPort, ConvergeServer.Password, "pat", "quinn");
}

/// <summary>Seed 000 between Converge and Prosody: the interconnection with a real third-party server, both directions.</summary>
public sealed class ProsodyFederationTests(ProsodyFederation peers, ITestOutputHelper output)
    : PeerFederationTests<ProsodyFederation>(peers, output)
{
    [Fact]
    public Task Users_of_converge_and_prosody_subscribe_see_presence_and_chat_both_ways_in_order() =>
        SubscribeSeePresenceAndChatBothWaysAsync("pat");

    [Fact]
    public Task An_iq_result_and_an_error_message_nobody_asked_for_reach_no_converge_user() =>
        UnsolicitedRepliesReachNobodyAsync("quinn");
}

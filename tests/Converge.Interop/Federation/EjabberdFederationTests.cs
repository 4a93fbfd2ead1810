using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Federation;

/// <summary>Converge and ejabberd (ejabberd.test) on loopback with an agreement: one instance of each per class.</summary>
public sealed class EjabberdFederation : PeerFederation
{
    private protected override string PeerName => "ejabberd";

    private protected override async Task<PeerServer> StartPeerAsync(int dnsPort) =>
        await EjabberdServer.StartAsync("ejabberd.test", dnsPort, ConvergeServer.Password, "ed", "flo");
}

/// <summary>
/// Seed 000 between Converge and ejabberd, whose Debian configuration requires STARTTLS on
/// server links and, with self-signed certificates, authenticates them with dialback.
/// </summary>
public sealed class EjabberdFederationTests(EjabberdFederation peers, ITestOutputHelper output)
    : PeerFederationTests<EjabberdFederation>(peers, output)
{
    [Fact]
    public Task Users_of_converge_and_ejabberd_subscribe_see_presence_and_chat_both_ways_in_order() =>
        SubscribeSeePresenceAndChatBothWaysAsync("ed");

    [Fact]
    public Task An_iq_result_and_an_error_message_nobody_asked_for_reach_no_converge_user() =>
        UnsolicitedRepliesReachNobodyAsync("flo");
}

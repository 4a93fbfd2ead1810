using Converge.Core.Federation;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Tests.Server;

namespace Converge.Xmpp.Tests.Routing;

/// <summary>
/// Who may make the gateways send. The gateway here records what reaches it (the real SMSC and
/// mail relay are in the interop tests, tests/Converge.Interop/Trust); the stanzas enter through
/// the router's peer and client doors as the links would hand them in.
/// </summary>
public sealed class GatewayAccessTests
{
    private const string Peer = "b.test";
    private const string UnknownNumber = "+4915199990001";

    internal sealed class RecordingGateway : ILegacyGateway
    {
        public List<LegacyMessage> Accepted { get; } = [];

        public bool Supports(LegacyChannel channel) => true;

        public ValueTask<bool> AcceptAsync(LegacyMessage message, CancellationToken cancellationToken)
        {
            lock (Accepted)
            {
                Accepted.Add(message);
            }

            return ValueTask.FromResult(true);
        }
    }

    private static async Task<(TestServer Server, RecordingGateway Gateway)> StartAsync(InterconnectionFeature features, int perMinute = 60)
    {
        var server = await TestServer.StartAsync();
        var gateway = new RecordingGateway();
        server.Server.Interworking.Gateway = gateway;
        PeerDoor.Agree(server, PeerDoor.Agreement(Peer, features, perMinute));
        return (server, gateway);
    }

    private static ValueTask FromPeerAsync(TestServer server, string to, string id) =>
        PeerDoor.SendAsync(server, Peer, $"<message xmlns='jabber:client' type='chat' id='{id}' from='mallory@{Peer}/x' to='{to}'><body>Win a prize!</body></message>");

    [Fact]
    public async Task A_peer_without_interworking_cannot_make_the_gateway_send_to_a_number_or_a_mail_address()
    {
        var (server, gateway) = await StartAsync(InterconnectionFeature.Messaging);
        await using var _ = server;
        await FromPeerAsync(server, UnknownNumber + "@example.test", "n");
        await FromPeerAsync(server, "peter\\40mail.example@example.test", "m");
        Assert.Empty(gateway.Accepted);
        Assert.Equal(2, server.Server.Context.Refusals.Snapshot().Single(r => r.PeerDomain == Peer).RefusedIn);

        // The control: a local account's message to the same number is taken.
        await using var alice = await server.LoginAsync("alice", "pc");
        await alice.SendAsync($"<message to='{UnknownNumber}@example.test' type='chat'><body>hi</body></message>");
        await WaitForAsync(() => gateway.Accepted.Count == 1);
        Assert.Equal(UnknownNumber, Assert.Single(gateway.Accepted).Address);
    }

    [Fact]
    public async Task A_peer_granted_interworking_sends_sms_within_its_rate_but_never_mail()
    {
        var (server, gateway) = await StartAsync(InterconnectionFeature.Messaging | InterconnectionFeature.Interworking, perMinute: 3);
        await using var _ = server;
        for (var i = 0; i < 5; i++)
        {
            await FromPeerAsync(server, UnknownNumber + "@example.test", "n" + i);
        }

        await FromPeerAsync(server, "peter\\40mail.example@example.test", "m");
        Assert.Equal(3, gateway.Accepted.Count); // a minute's worth, then resource-constraint
        Assert.All(gateway.Accepted, m => Assert.Equal(LegacyChannel.Sms, m.Channel));
        Assert.Equal(3, server.Server.Context.InterworkingLimits.Taken(Peer));
    }

    internal static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(20);
        }

        Assert.True(condition());
    }
}

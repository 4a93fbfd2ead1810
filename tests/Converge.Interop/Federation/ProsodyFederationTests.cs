using Xunit.Abstractions;

namespace Converge.Interop.Federation;

/// <summary>Converge (converge.test) and Prosody (prosody.test) on loopback with an agreement: one instance of each per class.</summary>
public sealed class ProsodyFederation : IAsyncLifetime
{
    internal LoopbackDns Dns { get; } = new();

    internal ConvergeProvider Converge { get; private set; } = null!;

    internal ProsodyServer Prosody { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Converge = await ConvergeProvider.StartAsync("converge.test", Dns.Endpoint, "alice", "bob");
        Prosody = await ProsodyServer.StartAsync("prosody.test", Dns.Endpoint.Port, ConvergeProvider.Password, "pat", "quinn");
        Dns.AddServerToServer(Converge.Domain, Converge.ServerToServerPort);
        Converge.AgreeWith(Prosody.Domain, $"127.0.0.1:{Prosody.ServerToServerPort}");
    }

    internal string Logs() =>
        $"--- converge:\n{Converge.Log.Text}\n--- dns questions: {Dns.Questions}\n--- prosody:\n{Prosody.Log}";

    public async Task DisposeAsync()
    {
        await Prosody.DisposeAsync();
        await Converge.DisposeAsync();
        await Dns.DisposeAsync();
    }
}

/// <summary>Seed 000 between Converge and Prosody: the interconnection with a real third-party server, both directions.</summary>
public sealed class ProsodyFederationTests(ProsodyFederation peers, ITestOutputHelper output) : IClassFixture<ProsodyFederation>
{
    [Fact]
    public async Task Users_of_converge_and_prosody_subscribe_see_presence_and_chat_both_ways_in_order()
    {
        await CrossProviderScenario.PassesAsync(
            output,
            (peers.Converge.ClientPort, peers.Converge.Domain, "alice", ConvergeProvider.Password),
            (peers.Prosody.ClientPort, peers.Prosody.Domain, "pat", ConvergeProvider.Password),
            peers.Logs);

        var status = peers.Converge.Federation.Snapshot().Single(p => p.Domain == peers.Prosody.Domain);
        Assert.Equal("dialback", status.OutboundAuthentication);
        Assert.True(status.StanzasIn > 0 && status.StanzasOut > 0, $"{status}\n{peers.Logs()}");
    }
}

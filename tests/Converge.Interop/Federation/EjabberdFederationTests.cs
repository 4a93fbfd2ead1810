using Xunit.Abstractions;

namespace Converge.Interop.Federation;

/// <summary>Converge (converge.test) and ejabberd (ejabberd.test) on loopback with an agreement: one instance of each per class.</summary>
public sealed class EjabberdFederation : IAsyncLifetime
{
    internal LoopbackDns Dns { get; } = new();

    internal ConvergeProvider Converge { get; private set; } = null!;

    internal EjabberdServer Ejabberd { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Converge = await ConvergeProvider.StartAsync("converge.test", Dns.Endpoint, "alice", "bob");
        Ejabberd = await EjabberdServer.StartAsync("ejabberd.test", Dns.Endpoint.Port, ConvergeProvider.Password, "ed", "flo");
        Dns.AddServerToServer(Converge.Domain, Converge.ServerToServerPort);
        Converge.AgreeWith(Ejabberd.Domain, $"127.0.0.1:{Ejabberd.ServerToServerPort}");
    }

    internal string Logs() =>
        $"--- converge:\n{Converge.Log.Text}\n--- dns questions: {Dns.Questions}\n--- ejabberd:\n{Ejabberd.Log}";

    public async Task DisposeAsync()
    {
        await Ejabberd.DisposeAsync();
        await Converge.DisposeAsync();
        await Dns.DisposeAsync();
    }
}

/// <summary>
/// Seed 000 between Converge and ejabberd, whose Debian configuration requires STARTTLS on
/// server links and, with self-signed certificates, authenticates them with dialback.
/// </summary>
public sealed class EjabberdFederationTests(EjabberdFederation peers, ITestOutputHelper output) : IClassFixture<EjabberdFederation>
{
    [Fact]
    public async Task Users_of_converge_and_ejabberd_subscribe_see_presence_and_chat_both_ways_in_order()
    {
        await CrossProviderScenario.PassesAsync(
            output,
            (peers.Converge.ClientPort, peers.Converge.Domain, "alice", ConvergeProvider.Password),
            (peers.Ejabberd.ClientPort, peers.Ejabberd.Domain, "ed", ConvergeProvider.Password),
            peers.Logs);

        var status = peers.Converge.Federation.Snapshot().Single(p => p.Domain == peers.Ejabberd.Domain);
        Assert.Equal("dialback", status.OutboundAuthentication);
        Assert.True(status.StanzasIn > 0 && status.StanzasOut > 0, $"{status}\n{peers.Logs()}");
    }
}

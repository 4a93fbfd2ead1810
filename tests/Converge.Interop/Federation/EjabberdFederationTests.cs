using Xunit.Abstractions;

namespace Converge.Interop.Federation;

/// <summary>`converge serve` (converge.test) and ejabberd (ejabberd.test) on loopback with an agreement: one instance of each per class.</summary>
public sealed class EjabberdFederation : IAsyncLifetime
{
    internal LoopbackDns Dns { get; } = new();

    internal ConvergeServe Converge { get; private set; } = null!;

    internal EjabberdServer Ejabberd { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Ejabberd = await EjabberdServer.StartAsync("ejabberd.test", Dns.Endpoint.Port, ConvergeServe.Password, "ed", "flo");
        Converge = await ConvergeServe.StartAsync(
            "converge.test", new Dictionary<string, string> { [Ejabberd.Domain] = ConvergeServe.Address(Ejabberd.ServerToServerPort) }, "alice", "bob");
        Dns.AddServerToServer(Converge.Domain, Converge.ServerToServerPort);
    }

    internal string Logs() =>
        $"--- converge:\n{Converge.Log}\n--- dns questions: {Dns.Questions}\n--- ejabberd:\n{Ejabberd.Log}";

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
            (peers.Converge.ClientPort, peers.Converge.Domain, "alice", ConvergeServe.Password),
            (peers.Ejabberd.ClientPort, peers.Ejabberd.Domain, "ed", ConvergeServe.Password),
            peers.Logs);

        // Each direction had a link of its own, authenticated with dialback over TLS.
        Assert.Contains($"Outbound link to {peers.Ejabberd.Domain} is up", peers.Converge.Log, StringComparison.Ordinal);
        Assert.Contains($"authenticated {peers.Ejabberd.Domain} (dialback)", peers.Converge.Log, StringComparison.Ordinal);
    }
}

using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Federation;

/// <summary>`converge serve` (converge.test) and ejabberd (ejabberd.test) on loopback with an agreement: one instance of each per class.</summary>
public sealed class EjabberdFederation : IAsyncLifetime
{
    internal LoopbackDns Dns { get; } = new();

    internal ConvergeServer Converge { get; private set; } = null!;

    internal EjabberdServer Ejabberd { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Ejabberd = await EjabberdServer.StartAsync("ejabberd.test", Dns.Endpoint.Port, ConvergeServer.Password, "ed", "flo");
        Converge = await new ConvergeServer
        {
            XmppDomain = "converge.test",
            Users = ["alice", "bob"],
            ServerToServerPort = ConvergeServer.FreeTcpPort(),
            ExtraConfig = AgreementConfig.With(null, (Ejabberd.Domain, Ejabberd.ServerToServerPort, null)),
        }.StartAsync();
        Dns.AddServerToServer(Converge.XmppDomain, Converge.ServerToServerPort!.Value);
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
            (peers.Converge.ClientPort, peers.Converge.XmppDomain, "alice", ConvergeServer.Password),
            (peers.Ejabberd.ClientPort, peers.Ejabberd.Domain, "ed", ConvergeServer.Password),
            peers.Logs);

        // Each direction had a link of its own, authenticated with dialback over TLS.
        Assert.Contains($"Outbound link to {peers.Ejabberd.Domain} is up", peers.Converge.Log, StringComparison.Ordinal);
        Assert.Contains($"authenticated {peers.Ejabberd.Domain} (dialback)", peers.Converge.Log, StringComparison.Ordinal);
    }

    [Fact]
    public Task An_iq_result_and_an_error_message_nobody_asked_for_reach_no_converge_user() =>
        // bob and flo: not the pair the other test subscribes, so no presence of theirs crosses meanwhile.
        UnsolicitedRepliesScenario.PassesAsync(output, peers.Converge, "bob", (peers.Ejabberd.ClientPort, peers.Ejabberd.Domain, "flo"));
}

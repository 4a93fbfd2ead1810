using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Federation;

/// <summary>`converge serve` (converge.test) and Prosody (prosody.test) on loopback with an agreement: one instance of each per class.</summary>
public sealed class ProsodyFederation : IAsyncLifetime
{
    internal LoopbackDns Dns { get; } = new();

    internal ConvergeServer Converge { get; private set; } = null!;

    internal ProsodyServer Prosody { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Prosody = await ProsodyServer.StartAsync("prosody.test", Dns.Endpoint.Port, ConvergeServer.Password, "pat", "quinn");
        Converge = await new ConvergeServer
        {
            XmppDomain = "converge.test",
            Users = ["alice", "bob"],
            ServerToServerPort = ConvergeServer.FreeTcpPort(),
            ExtraConfig = AgreementConfig.With(null, (Prosody.Domain, Prosody.ServerToServerPort, null)),
        }.StartAsync();
        Dns.AddServerToServer(Converge.XmppDomain, Converge.ServerToServerPort!.Value);
    }

    internal string Logs() =>
        $"--- converge:\n{Converge.Log}\n--- dns questions: {Dns.Questions}\n--- prosody:\n{Prosody.Log}";

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
            (peers.Converge.ClientPort, peers.Converge.XmppDomain, "alice", ConvergeServer.Password),
            (peers.Prosody.ClientPort, peers.Prosody.Domain, "pat", ConvergeServer.Password),
            peers.Logs);

        // Each direction had a link of its own, authenticated with dialback over TLS.
        Assert.Contains($"Outbound link to {peers.Prosody.Domain} is up", peers.Converge.Log, StringComparison.Ordinal);
        Assert.Contains($"authenticated {peers.Prosody.Domain} (dialback)", peers.Converge.Log, StringComparison.Ordinal);
    }

    [Fact]
    public Task An_iq_result_and_an_error_message_nobody_asked_for_reach_no_converge_user() =>
        // bob and quinn: not the pair the other test subscribes, so no presence of theirs crosses meanwhile.
        UnsolicitedRepliesScenario.PassesAsync(output, peers.Converge, "bob", (peers.Prosody.ClientPort, peers.Prosody.Domain, "quinn"));
}

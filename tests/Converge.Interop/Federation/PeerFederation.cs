using Converge.Interop.Support;
using Xunit.Abstractions;

namespace Converge.Interop.Federation;

/// <summary>
/// `converge serve` (converge.test, users alice and bob) and a third-party server on loopback with an
/// agreement between them, both resolving through one <see cref="LoopbackDns"/>: one instance of
/// each per test class. <see cref="ProsodyFederation"/> and <see cref="EjabberdFederation"/> say which server.
/// </summary>
public abstract class PeerFederation : IAsyncLifetime
{
    internal LoopbackDns Dns { get; } = new();

    internal ConvergeServer Converge { get; private set; } = null!;

    internal PeerServer Peer { get; private set; } = null!;

    /// <summary>The peer server's name in <see cref="Logs"/>.</summary>
    private protected abstract string PeerName { get; }

    /// <summary>Starts the peer server, resolving through the DNS responder on <paramref name="dnsPort"/>.</summary>
    private protected abstract Task<PeerServer> StartPeerAsync(int dnsPort);

    public async Task InitializeAsync()
    {
        Peer = await StartPeerAsync(Dns.Endpoint.Port);
        Converge = await new ConvergeServer
        {
            XmppDomain = "converge.test",
            Users = ["alice", "bob"],
            ServerToServerPort = ConvergeServer.FreeTcpPort(),
            ExtraConfig = AgreementConfig.With(null, (Peer.Domain, Peer.ServerToServerPort, null)),
        }.StartAsync();
        Dns.AddServerToServer(Converge.XmppDomain, Converge.ServerToServerPort!.Value);
    }

    internal string Logs() =>
        $"--- converge:\n{Converge.Log}\n--- dns questions: {Dns.Questions}\n--- {PeerName}:\n{Peer.Log}";

    public async Task DisposeAsync()
    {
        await Peer.DisposeAsync();
        await Converge.DisposeAsync();
        await Dns.DisposeAsync();
    }
}

/// <summary>
/// Seed 000 between Converge and a third-party server, both directions: the body of
/// <see cref="ProsodyFederationTests"/> and <see cref="EjabberdFederationTests"/>, which name the tests and the peer's users.
/// </summary>
public abstract class PeerFederationTests<TFederation>(TFederation peers, ITestOutputHelper output) : IClassFixture<TFederation>
    where TFederation : PeerFederation
{
    /// <summary>alice on Converge and <paramref name="peerUser"/> on the peer subscribe, see presence and chat both ways in order.</summary>
    protected async Task SubscribeSeePresenceAndChatBothWaysAsync(string peerUser)
    {
        await CrossProviderScenario.PassesAsync(
            output,
            (peers.Converge.ClientPort, peers.Converge.XmppDomain, "alice", ConvergeServer.Password),
            (peers.Peer.ClientPort, peers.Peer.Domain, peerUser, ConvergeServer.Password),
            peers.Logs);

        // Each direction had a link of its own, authenticated with dialback over TLS.
        Assert.Contains($"Outbound link to {peers.Peer.Domain} is up", peers.Converge.Log, StringComparison.Ordinal);
        Assert.Contains($"authenticated {peers.Peer.Domain} (dialback)", peers.Converge.Log, StringComparison.Ordinal);
    }

    /// <summary>
    /// An iq result and an error message from <paramref name="peerUser"/> that nobody asked for reach no
    /// Converge user (bob): not the pair the other test subscribes, so no presence of theirs crosses meanwhile.
    /// </summary>
    protected Task UnsolicitedRepliesReachNobodyAsync(string peerUser) =>
        UnsolicitedRepliesScenario.PassesAsync(output, peers.Converge, "bob", (peers.Peer.ClientPort, peers.Peer.Domain, peerUser));
}

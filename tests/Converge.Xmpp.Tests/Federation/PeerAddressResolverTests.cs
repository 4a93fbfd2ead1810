using System.Net;
using Converge.Xmpp.Federation;
using DnsClient;
using DnsClient.Protocol;

namespace Converge.Xmpp.Tests.Federation;

/// <summary>Finding a peer's server (RFC 6120 §3.2, XEP-0368) through DnsClient against a local DNS responder.</summary>
public sealed class PeerAddressResolverTests
{
    private sealed class NoStaticAddresses : IFederationPolicy
    {
        public bool MayLink(string peerDomain) => true;

        public string? StaticAddress(string peerDomain) => peerDomain == "static.example" ? "192.0.2.7:6269" : null;
    }

    private static PeerAddressResolver ResolverFor(TestDnsResponder dns) => ResolverFor(dns.Endpoint);

    private static PeerAddressResolver ResolverFor(IPEndPoint server, TimeSpan? timeout = null) =>
        new(new NoStaticAddresses(), new LookupClient(new LookupClientOptions(server) { Timeout = timeout ?? TimeSpan.FromSeconds(2), Retries = 0, UseCache = false }));

    [Fact]
    public async Task Srv_records_give_the_endpoints_in_priority_order_then_direct_tls_ones()
    {
        await using var dns = new TestDnsResponder();
        dns.AddSrv("_xmpp-server._tcp.b.example", 20, 0, 6000, "backup.b.example");
        dns.AddSrv("_xmpp-server._tcp.b.example", 10, 0, 5999, "main.b.example");
        dns.AddSrv("_xmpps-server._tcp.b.example", 5, 0, 5270, "tls.b.example");

        var endpoints = await ResolverFor(dns).ResolveAsync("b.example", CancellationToken.None);

        Assert.Equal(
            [new PeerEndpoint("main.b.example", 5999, false), new PeerEndpoint("backup.b.example", 6000, false), new PeerEndpoint("tls.b.example", 5270, true)],
            endpoints);
    }

    [Fact]
    public async Task Without_srv_records_the_domain_itself_is_tried_on_5269()
    {
        await using var dns = new TestDnsResponder();

        var endpoints = await ResolverFor(dns).ResolveAsync("plain.example", CancellationToken.None);

        Assert.Equal([new PeerEndpoint("plain.example", 5269, false)], endpoints);
    }

    [Fact]
    public async Task A_lone_dot_target_says_the_domain_offers_no_server_to_server_service()
    {
        await using var dns = new TestDnsResponder();
        dns.AddSrv("_xmpp-server._tcp.none.example", 0, 0, 0, ".");

        Assert.Empty(await ResolverFor(dns).ResolveAsync("none.example", CancellationToken.None));
    }

    [Fact]
    public async Task A_static_address_from_the_agreement_is_used_without_asking_dns()
    {
        await using var dns = new TestDnsResponder();

        var endpoints = await ResolverFor(dns).ResolveAsync("static.example", CancellationToken.None);

        Assert.Equal([new PeerEndpoint("192.0.2.7", 6269, false)], endpoints);
        Assert.Equal(0, dns.Questions);
    }

    [Fact]
    public async Task Host_names_resolve_through_a_records()
    {
        await using var dns = new TestDnsResponder();
        dns.AddA("main.b.example", IPAddress.Parse("192.0.2.10"));

        var addresses = await ResolverFor(dns).ResolveHostAsync("main.b.example.", CancellationToken.None);

        Assert.Equal([IPAddress.Parse("192.0.2.10")], addresses);
    }

    [Fact]
    public async Task A_name_that_does_not_exist_has_no_addresses()
    {
        await using var dns = new TestDnsResponder();

        Assert.Empty(await ResolverFor(dns).ResolveHostAsync("nowhere.invalid", CancellationToken.None));
    }

    [Fact]
    public async Task A_truncated_udp_answer_is_asked_again_over_tcp()
    {
        await using var dns = new TestDnsResponder { TruncateUdp = true };
        dns.AddSrv("_xmpp-server._tcp.big.example", 0, 5, 5269, "xmpp.big.example");

        var endpoints = await ResolverFor(dns).ResolveAsync("big.example", CancellationToken.None);

        Assert.Equal(new PeerEndpoint("xmpp.big.example", 5269, false), endpoints[0]);
        Assert.True(dns.TcpQuestions >= 1);
    }

    [Fact]
    public async Task A_dns_server_that_never_answers_leaves_the_domain_itself_in_bounded_time()
    {
        using var silent = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var started = System.Diagnostics.Stopwatch.StartNew();

        var endpoints = await ResolverFor((IPEndPoint)silent.Client.LocalEndPoint!, TimeSpan.FromMilliseconds(200)).ResolveAsync("slow.example", CancellationToken.None);

        Assert.Equal([new PeerEndpoint("slow.example", 5269, false)], endpoints);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), started.Elapsed.ToString());
    }

    [Fact]
    public void Within_one_priority_the_heavier_record_is_drawn_first_in_proportion_to_its_weight()
    {
        SrvRecord Srv(ushort priority, ushort weight, string target) =>
            new(new ResourceRecordInfo("_xmpp-server._tcp.w.example.", ResourceRecordType.SRV, QueryClass.IN, 60, 0), priority, weight, 5269, DnsString.Parse(target));
        var records = new[] { Srv(10, 0, "light.w.example."), Srv(10, 99, "heavy.w.example."), Srv(20, 1000, "later.w.example.") };

        var heavyFirst = 0;
        for (var i = 0; i < 1000; i++)
        {
            var order = PeerAddressResolver.Order(records).Select(r => r.Target.Value).ToList();
            Assert.Equal("later.w.example.", order[2]); // a lower priority never comes before a higher one, whatever its weight
            heavyFirst += order[0] == "heavy.w.example." ? 1 : 0;
        }

        // Weight 99 against weight 0 (RFC 2782 gives the latter a small chance): about 99 in 100.
        Assert.InRange(heavyFirst, 950, 999);
    }

    [Theory]
    [InlineData("127.0.0.1:6269", "127.0.0.1", 6269)]
    [InlineData("[::1]:5270", "::1", 5270)]
    [InlineData("peer.example", "peer.example", 5269)]
    [InlineData("peer.example:1", "peer.example", 1)]
    public void Static_addresses_are_host_and_port(string address, string host, int port)
    {
        Assert.True(PeerAddressResolver.TryParseAddress(address, out var parsedHost, out var parsedPort));
        Assert.Equal((host, port), (parsedHost, parsedPort));
    }

    [Theory]
    [InlineData("peer.example:0")]
    [InlineData("peer.example:70000")]
    [InlineData(":5269")]
    [InlineData("[::1")]
    public void Malformed_static_addresses_are_rejected(string address) =>
        Assert.False(PeerAddressResolver.TryParseAddress(address, out _, out _));

    [Fact]
    public async Task A_peer_without_static_address_is_found_through_its_srv_record()
    {
        await using var dns = new TestDnsResponder();
        await using var b = await FederatedServer.StartAsync("b.test");
        await using var a = await FederatedServer.StartAsync("a.test", dnsServer: dns.Endpoint);
        dns.AddSrv("_xmpp-server._tcp.b.test", 0, 0, (ushort)b.Federation.Endpoint!.Port, "localhost");
        a.Policy.Allow("b.test", null);
        b.Policy.Allow("a.test", a.Address);
        await using var alice = await a.LoginAsync("alice");
        await using var bob = await b.LoginAsync("bob");

        await alice.SendAsync("<message to='bob@b.test' type='chat'><body>found you</body></message>");

        var message = await bob.ExpectAsync(e => e.Name == "message");
        Assert.Equal("found you", message.ChildText("body", "jabber:client"));
    }
}

using System.Text;
using Converge.Xmpp.Federation;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Federation;

/// <summary>
/// A peer that breaks the rules on an inbound link is cut off with the stream error RFC 6120 names
/// for it, and nobody else notices. The misbehaving peer is a <see cref="RawPeer"/> claiming a.test,
/// which b.test has an agreement with; b.test trusts the test CA, so the raw peer can authenticate
/// with SASL EXTERNAL and then misbehave.
/// </summary>
public sealed class BadPeerTests
{
    private static Task<FederatedServer> StartBAsync(int maxStanzaBytes = 256 * 1024) =>
        FederatedServer.StartAsync("b.test", TestCertificates.Issued("b.test"), trusted: [TestCertificates.Authority],
            limits: new XmlLimits { MaxStanzaBytes = maxStanzaBytes });

    [Fact]
    public async Task A_peer_that_spoofs_a_from_outside_its_authenticated_domain_is_cut_off_with_invalid_from()
    {
        await using var b = await StartBAsync();
        b.Policy.Allow("a.test", null);
        await using var bob = await b.LoginAsync("bob");
        await using var peer = await RawPeer.AuthenticatedAsync(b);

        await peer.SendAsync("<message from='alice@a.test/pc' to='bob@b.test' type='chat'><body>genuine</body></message>");
        var genuine = await bob.ExpectAsync(e => e.Name == "message");
        Assert.Equal("alice@a.test/pc", genuine.GetAttribute("from"));

        await peer.SendAsync("<message from='mallory@evil.test' to='bob@b.test' type='chat'><body>spoofed</body></message>");
        Assert.Equal("invalid-from", await peer.ExpectStreamEndAsync());
        await bob.ExpectNothingAsync(e => e.Name == "message", TimeSpan.FromMilliseconds(300));
        Assert.Equal(1, b.Federation.Snapshot().Single(p => p.Domain == "a.test").LinksRefused);
    }

    [Fact]
    public async Task A_stanza_for_a_domain_this_server_does_not_serve_ends_the_link_with_host_unknown()
    {
        await using var b = await StartBAsync();
        b.Policy.Allow("a.test", null);
        await using var peer = await RawPeer.AuthenticatedAsync(b);

        await peer.SendAsync("<message from='alice@a.test' to='someone@c.test'><body>relay this</body></message>");

        Assert.Equal("host-unknown", await peer.ExpectStreamEndAsync());
    }

    [Fact]
    public async Task Stanzas_before_authentication_are_refused_with_not_authorized()
    {
        await using var b = await StartBAsync();
        b.Policy.Allow("a.test", null);
        await using var peer = await RawPeer.ConnectAsync(b.Federation.Endpoint!);
        await peer.OpenAsync("a.test", "b.test");
        await peer.StartTlsAsync("a.test", "b.test");

        await peer.SendAsync("<message from='alice@a.test' to='bob@b.test'><body>let me in</body></message>");

        Assert.Equal("not-authorized", await peer.ExpectStreamEndAsync());
    }

    [Fact]
    public async Task Dialback_before_tls_is_refused_because_this_server_requires_tls()
    {
        await using var b = await StartBAsync();
        b.Policy.Allow("a.test", null);
        await using var peer = await RawPeer.ConnectAsync(b.Federation.Endpoint!);
        var (_, features) = await peer.OpenAsync("a.test", "b.test");
        Assert.NotNull(features.Element("starttls", "urn:ietf:params:xml:ns:xmpp-tls")?.Element("required", "urn:ietf:params:xml:ns:xmpp-tls"));

        await peer.SendAsync("<db:result from='a.test' to='b.test'>0123456789abcdef</db:result>");

        Assert.Equal("policy-violation", await peer.ExpectStreamEndAsync());
    }

    [Fact]
    public async Task Dialback_with_a_key_the_claimed_domain_never_made_is_invalid_and_the_link_is_cut_off()
    {
        await using var a = await FederatedServer.StartAsync("a.test");
        await using var b = await StartBAsync();
        b.Policy.Allow("a.test", a.Address); // where B asks a.test's authoritative server
        a.Policy.Allow("b.test", b.Address);
        await using var peer = await RawPeer.ConnectAsync(b.Federation.Endpoint!);
        await peer.OpenAsync("a.test", "b.test");
        var (_, features) = await peer.StartTlsAsync("a.test", "b.test"); // no certificate: dialback it must be
        Assert.Null(features.Element("mechanisms", "urn:ietf:params:xml:ns:xmpp-sasl"));
        Assert.NotNull(features.Element("dialback", "urn:xmpp:features:dialback"));

        await peer.SendAsync("<db:result from='a.test' to='b.test'>" + new string('7', 64) + "</db:result>");

        var verdict = await peer.ExpectAsync(e => e.Name == "result" && e.Namespace == "jabber:server:dialback");
        Assert.Equal("invalid", verdict.GetAttribute("type"));
        Assert.Equal("a.test", verdict.GetAttribute("to"));
        Assert.Equal("not-authorized", await peer.ExpectStreamEndAsync());
    }

    [Fact]
    public async Task Verification_requests_are_answered_valid_only_for_keys_this_server_made()
    {
        await using var a = await FederatedServer.StartAsync("a.test", dialbackSecret: "known-secret");
        a.Policy.Allow("b.test", null);
        var keys = new DialbackKeys("known-secret");
        await using var peer = await RawPeer.ConnectAsync(a.Federation.Endpoint!);
        await peer.OpenAsync("b.test", "a.test");
        await peer.StartTlsAsync("b.test", "a.test");

        await peer.SendAsync($"<db:verify from='b.test' to='a.test' id='s1'>{keys.Generate("b.test", "a.test", "s1")}</db:verify>");
        await peer.SendAsync($"<db:verify from='b.test' to='a.test' id='s2'>{keys.Generate("b.test", "a.test", "s1")}</db:verify>");

        var first = await peer.ExpectAsync(e => e.Name == "verify" && e.GetAttribute("id") == "s1");
        Assert.Equal("valid", first.GetAttribute("type"));
        Assert.Equal("a.test", first.GetAttribute("from"));
        Assert.Equal("b.test", first.GetAttribute("to"));
        var second = await peer.ExpectAsync(e => e.Name == "verify" && e.GetAttribute("id") == "s2");
        Assert.Equal("invalid", second.GetAttribute("type")); // the key is bound to its stream id
    }

    [Fact]
    public async Task Garbage_ends_that_link_with_a_stream_error_and_other_links_carry_on()
    {
        await using var a = await FederatedServer.StartAsync("a.test");
        await using var b = await StartBAsync();
        a.AgreeWith(b);
        await using var alice = await a.LoginAsync("alice");
        await using var bob = await b.LoginAsync("bob");
        await alice.SendAsync("<message to='bob@b.test' type='chat'><body>one</body></message>");
        await bob.ExpectAsync(e => e.Name == "message");

        await using var peer = await RawPeer.ConnectAsync(b.Federation.Endpoint!);
        await peer.OpenAsync("a.test", "b.test");
        await peer.SendAsync("<message><<<&&& this is not XML");
        Assert.Equal("not-well-formed", await peer.ExpectStreamEndAsync());

        await alice.SendAsync("<message to='bob@b.test' type='chat'><body>two</body></message>");
        var after = await bob.ExpectAsync(e => e.Name == "message");
        Assert.Equal("two", after.ChildText("body", "jabber:client"));
    }

    [Fact]
    public async Task An_oversized_stanza_ends_the_link_with_policy_violation()
    {
        await using var b = await StartBAsync(maxStanzaBytes: 4096);
        b.Policy.Allow("a.test", null);
        await using var peer = await RawPeer.AuthenticatedAsync(b);

        await peer.SendAsync($"<message from='alice@a.test' to='bob@b.test'><body>{new string('x', 8192)}</body></message>");

        Assert.Equal("policy-violation", await peer.ExpectStreamEndAsync());
    }

    [Fact]
    public async Task A_flood_beyond_the_agreements_rate_limit_ends_the_link_with_policy_violation()
    {
        await using var b = await StartBAsync();
        b.Policy.Allow("a.test", null, stanzasPerSecond: 2); // a burst of 10, then 2 per second
        await using var bob = await b.LoginAsync("bob");
        await using var peer = await RawPeer.AuthenticatedAsync(b);

        var flood = new StringBuilder();
        for (var i = 0; i < 40; i++)
        {
            flood.Append($"<message from='alice@a.test' to='bob@b.test' type='chat'><body>{i}</body></message>");
        }

        await peer.SendAsync(flood.ToString());

        Assert.Equal("policy-violation", await peer.ExpectStreamEndAsync());
        await bob.ExpectAsync(e => e.Name == "message"); // what came within the burst was delivered
    }
}

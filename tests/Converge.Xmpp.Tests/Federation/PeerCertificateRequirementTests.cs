using Converge.Xmpp.Federation;

namespace Converge.Xmpp.Tests.Federation;

/// <summary>
/// An agreement's RequireCertificate: the peer proves its domain to us with a trusted certificate,
/// not only we ours to it. Outbound, a peer whose certificate does not is not linked with and what
/// waits goes back to its senders; inbound, it may not use dialback.
/// </summary>
public sealed class PeerCertificateRequirementTests
{
    private const string Stanzas = "urn:ietf:params:xml:ns:xmpp-stanzas";

    [Fact]
    public async Task A_peer_that_proves_its_domain_is_linked_with_when_the_agreement_requires_a_certificate()
    {
        await using var a = await FederatedServer.StartAsync("a.test", TestCertificates.Issued("a.test"), trusted: [TestCertificates.Authority]);
        await using var b = await FederatedServer.StartAsync("b.test", TestCertificates.Issued("b.test"), trusted: [TestCertificates.Authority]);
        a.Policy.Allow("b.test", b.Address, requireCertificate: true);
        b.Policy.Allow("a.test", a.Address, requireCertificate: true);
        await using var alice = await a.LoginAsync("alice");
        await using var bob = await b.LoginAsync("bob");

        await alice.SendAsync("<message to='bob@b.test' type='chat'><body>proven both ways</body></message>");
        await bob.ExpectAsync(e => e.Name == "message" && e.ChildText("body", "jabber:client") == "proven both ways");
        await bob.SendAsync("<message to='alice@a.test' type='chat'><body>and back</body></message>");
        await alice.ExpectAsync(e => e.Name == "message" && e.ChildText("body", "jabber:client") == "and back");

        Assert.Equal("sasl-external", a.Federation.Snapshot().Single(p => p.Domain == "b.test").OutboundAuthentication);
        Assert.Equal("sasl-external", b.Federation.Snapshot().Single(p => p.Domain == "a.test").OutboundAuthentication);
    }

    [Theory]
    [InlineData("self-signed")]
    [InlineData("another name")]
    public async Task No_outbound_link_is_made_to_a_peer_whose_certificate_does_not_prove_its_domain_and_what_waits_bounces(string certificate)
    {
        var log = new CapturedLog();
        await using var a = await FederatedServer.StartAsync("a.test", TestCertificates.Issued("a.test"), trusted: [TestCertificates.Authority], log: log);
        await using var b = await FederatedServer.StartAsync("b.test", certificate == "self-signed" ? TestCertificates.SelfSigned("b.test") : TestCertificates.Issued("not-b.test"));
        a.Policy.Allow("b.test", b.Address, requireCertificate: true);
        b.Policy.Allow("a.test", a.Address);
        await using var alice = await a.LoginAsync("alice");
        await using var bob = await b.LoginAsync("bob");

        await alice.SendAsync("<message to='bob@b.test' type='chat' id='u1'><body>are you really b.test?</body></message>");

        var bounce = await alice.ExpectAsync(e => e.Name == "message" && e.GetAttribute("type") == "error");
        Assert.Equal("u1", bounce.GetAttribute("id"));
        Assert.Equal(("remote-server-timeout", "cancel"), LinkRefusalTests.ErrorOf(bounce));
        Assert.Contains("did not prove its domain", bounce.Element("error", "jabber:client")!.ChildText("text", Stanzas), StringComparison.Ordinal);
        await bob.ExpectNothingAsync(e => e.Name == "message", TimeSpan.FromMilliseconds(300));
        Assert.Contains("b.test did not prove its domain, which its agreement requires: its certificate", log.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_requirement_the_same_peer_still_links_with_dialback()
    {
        await using var a = await FederatedServer.StartAsync("a.test", TestCertificates.Issued("a.test"), trusted: [TestCertificates.Authority]);
        await using var b = await FederatedServer.StartAsync("b.test");
        a.AgreeWith(b);
        await using var alice = await a.LoginAsync("alice");
        await using var bob = await b.LoginAsync("bob");

        await alice.SendAsync("<message to='bob@b.test' type='chat'><body>dialback will do</body></message>");

        await bob.ExpectAsync(e => e.Name == "message");
        Assert.Equal("dialback", a.Federation.Snapshot().Single(p => p.Domain == "b.test").OutboundAuthentication);
    }

    [Fact]
    public async Task A_peer_that_must_prove_itself_cannot_come_in_with_dialback_and_its_senders_get_the_refusal()
    {
        await using var a = await FederatedServer.StartAsync("a.test", TestCertificates.Issued("a.test"), trusted: [TestCertificates.Authority]);
        await using var b = await FederatedServer.StartAsync("b.test"); // self-signed: it can only offer dialback
        a.Policy.Allow("b.test", b.Address, requireCertificate: true);
        b.Policy.Allow("a.test", a.Address);
        await using var alice = await a.LoginAsync("alice");
        await using var bob = await b.LoginAsync("bob");

        await bob.SendAsync("<message to='alice@a.test' type='chat' id='d1'><body>let me in by dialback</body></message>");

        var bounce = await bob.ExpectAsync(e => e.Name == "message" && e.GetAttribute("type") == "error");
        Assert.Equal(("remote-server-timeout", "cancel"), LinkRefusalTests.ErrorOf(bounce));
        await alice.ExpectNothingAsync(e => e.Name == "message", TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task A_peer_that_must_prove_itself_is_offered_no_dialback_and_is_cut_off_when_it_tries()
    {
        await using var b = await FederatedServer.StartAsync("b.test", TestCertificates.Issued("b.test"), trusted: [TestCertificates.Authority]);
        b.Policy.Allow("a.test", null, requireCertificate: true);
        await using var peer = await RawPeer.ConnectAsync(b.Federation.Endpoint!);
        await peer.OpenAsync("a.test", "b.test");
        var (_, features) = await peer.StartTlsAsync("a.test", "b.test"); // no client certificate

        Assert.Null(features.Element("dialback", FederationNamespaces.DialbackFeature));
        Assert.Null(features.Element("mechanisms", "urn:ietf:params:xml:ns:xmpp-sasl"));
        await peer.SendAsync("<db:result from='a.test' to='b.test'>0123456789abcdef</db:result>");
        Assert.Equal("not-authorized", await peer.ExpectStreamEndAsync());
    }

    [Fact]
    public async Task A_peer_that_must_prove_itself_comes_in_with_its_certificate()
    {
        await using var b = await FederatedServer.StartAsync("b.test", TestCertificates.Issued("b.test"), trusted: [TestCertificates.Authority]);
        b.Policy.Allow("a.test", null, requireCertificate: true);
        await using var bob = await b.LoginAsync("bob");
        await using var peer = await RawPeer.AuthenticatedAsync(b);

        await peer.SendAsync("<message from='alice@a.test/pc' to='bob@b.test' type='chat'><body>certified</body></message>");

        await bob.ExpectAsync(e => e.Name == "message" && e.GetAttribute("from") == "alice@a.test/pc");
    }

    [Fact]
    public async Task Requiring_a_certificate_on_reload_ends_the_links_a_peer_made_with_dialback_both_ways()
    {
        await using var a = await FederatedServer.StartAsync("a.test", TestCertificates.Issued("a.test"), trusted: [TestCertificates.Authority]);
        await using var b = await FederatedServer.StartAsync("b.test"); // self-signed: dialback only
        a.AgreeWith(b);
        await using var alice = await a.LoginAsync("alice");
        await using var bob = await b.LoginAsync("bob");
        await alice.SendAsync("<message to='bob@b.test' type='chat'><body>out</body></message>");
        await bob.ExpectAsync(e => e.Name == "message");
        await bob.SendAsync("<message to='alice@a.test' type='chat'><body>in</body></message>");
        await alice.ExpectAsync(e => e.Name == "message");
        var before = a.Federation.Snapshot().Single(p => p.Domain == "b.test");
        Assert.Equal((OutboundLinkState.Up, 1), (before.Outbound, before.InboundLinks));

        a.Policy.Allow("b.test", b.Address, requireCertificate: true);
        await a.Federation.ApplyPolicyAsync();

        await AgreementLinkTests.WaitUntilAsync(() => a.Federation.Snapshot().Single(p => p.Domain == "b.test") is { Outbound: not OutboundLinkState.Up, InboundLinks: 0 });
        await alice.SendAsync("<message to='bob@b.test' type='chat' id='again'><body>still you?</body></message>");
        var bounce = await alice.ExpectAsync(e => e.Name == "message" && e.GetAttribute("type") == "error");
        Assert.Equal("again", bounce.GetAttribute("id"));
        Assert.Contains("did not prove its domain", bounce.Element("error", "jabber:client")!.ChildText("text", Stanzas), StringComparison.Ordinal);
        await bob.ExpectNothingAsync(e => e.Name == "message", TimeSpan.FromMilliseconds(300));
    }
}

namespace Converge.Xmpp.Tests.Federation;

/// <summary>
/// Issue 15 item 5: an agreement with b.test covers evil.b.test only when it says IncludeSubdomains.
/// evil.b.test is a real Converge server with no agreement of its own; a.test's agreement with b.test
/// names evil.b.test's listener as the address, so the only thing that changes between the two cases
/// is the key.
/// </summary>
public sealed class SubdomainAgreementTests
{
    [Fact]
    public async Task A_subdomain_without_an_agreement_of_its_own_is_refused_at_the_link_and_for_stanzas_both_ways()
    {
        await using var a = await FederatedServer.StartAsync("a.test");
        await using var evil = await FederatedServer.StartAsync("evil.b.test");
        a.Policy.Allow("b.test", evil.Address);
        evil.Policy.Allow("a.test", a.Address);
        await using var alice = await a.LoginAsync("alice");
        await using var mallory = await evil.LoginAsync("carol");

        // In: a.test refuses the link (and so dialback) for evil.b.test; the stanza never reaches alice.
        await mallory.SendAsync("<message to='alice@a.test' type='chat' id='in1'><body>buy now</body></message>");
        var bounce = await mallory.ExpectAsync(e => e.Name == "message" && e.GetAttribute("type") == "error");
        Assert.Equal("in1", bounce.GetAttribute("id"));
        Assert.Equal(("remote-server-timeout", "cancel"), LinkRefusalTests.ErrorOf(bounce));
        await alice.ExpectNothingAsync(e => e.Name == "message", TimeSpan.FromMilliseconds(300));

        // Out: alice's stanza to the subdomain is refused by a.test's own policy, no link is made.
        await alice.SendAsync("<message to='carol@evil.b.test' type='chat' id='out1'><body>hi</body></message>");
        var refused = await alice.ExpectAsync(e => e.Name == "message" && e.GetAttribute("type") == "error");
        Assert.Equal("out1", refused.GetAttribute("id"));
        await mallory.ExpectNothingAsync(e => e.Name == "message" && e.GetAttribute("type") != "error", TimeSpan.FromMilliseconds(300));
        Assert.DoesNotContain(a.Federation.Snapshot(), p => p.Domain == "evil.b.test" && p.InboundLinks > 0);

        // A raw stream claiming the subdomain is cut at its header, like any stranger's.
        await using var raw = await RawPeer.ConnectAsync(a.Federation.Endpoint!);
        var (_, features) = await raw.OpenAsync("evil.b.test", "a.test");
        Assert.Equal("error", features.Name);
        Assert.Equal("not-authorized", features.FirstElement()!.Name);
    }

    [Fact]
    public async Task The_same_subdomain_is_accepted_both_ways_when_the_agreement_includes_subdomains()
    {
        await using var a = await FederatedServer.StartAsync("a.test");
        await using var evil = await FederatedServer.StartAsync("evil.b.test");
        a.Policy.Allow("b.test", evil.Address, includeSubdomains: true);
        evil.Policy.Allow("a.test", a.Address);
        await using var alice = await a.LoginAsync("alice");
        await using var carol = await evil.LoginAsync("carol");

        await carol.SendAsync("<message to='alice@a.test' type='chat' id='in2'><body>hello</body></message>");
        var received = await alice.ExpectAsync(e => e.Name == "message" && e.GetAttribute("type") == "chat");
        Assert.Equal("carol@evil.b.test/pc", received.GetAttribute("from"));

        await alice.SendAsync("<message to='carol@evil.b.test/pc' type='chat' id='out2'><body>hello back</body></message>");
        var answer = await carol.ExpectAsync(e => e.Name == "message" && e.GetAttribute("type") == "chat");
        Assert.Equal("out2", answer.GetAttribute("id"));
    }
}

using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Federation;

/// <summary>
/// Stanzas for a peer that was reached but refused our link go back to their senders with an error
/// of type cancel: sending them again would meet the same refusal. RFC 6120 §8.3.3.17 names failed
/// stream negotiation (TLS, SASL, dialback) remote-server-timeout, of type cancel where the failure is
/// permanent; a server that says it does not serve the domain leaves it not found (§8.3.3.16).
/// </summary>
public sealed class LinkRefusalTests
{
    private const string Stanzas = "urn:ietf:params:xml:ns:xmpp-stanzas";

    [Fact]
    public async Task A_peer_that_finds_our_dialback_key_invalid_gets_our_stanzas_bounced_with_remote_server_timeout_of_type_cancel()
    {
        await using var a = await FederatedServer.StartAsync("a.test", dialbackSecret: "a.test's own secret");
        // B's operator points a.test at the wrong server: it did not make A's key, so it finds it invalid.
        await using var impostor = await FederatedServer.StartAsync("a.test", dialbackSecret: "somebody else's secret");
        await using var b = await FederatedServer.StartAsync("b.test");
        a.Policy.Allow("b.test", b.Address);
        b.Policy.Allow("a.test", impostor.Address);
        impostor.Policy.Allow("b.test", b.Address);
        await using var alice = await a.LoginAsync("alice");
        await using var bob = await b.LoginAsync("bob");

        await alice.SendAsync("<message to='bob@b.test' type='chat' id='d1'><body>hello</body></message>");

        var bounce = await alice.ExpectAsync(e => e.Name == "message" && e.GetAttribute("type") == "error");
        Assert.Equal("d1", bounce.GetAttribute("id"));
        Assert.Equal(("remote-server-timeout", "cancel"), ErrorOf(bounce));
        Assert.Contains("refused the link", bounce.Element("error", "jabber:client")!.ChildText("text", Stanzas), StringComparison.Ordinal);
        await bob.ExpectNothingAsync(e => e.Name == "message", TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task A_server_that_does_not_serve_the_peer_domain_gets_our_stanzas_bounced_with_remote_server_not_found_of_type_cancel()
    {
        await using var a = await FederatedServer.StartAsync("a.test");
        await using var c = await FederatedServer.StartAsync("c.test");
        a.Policy.Allow("b.test", c.Address); // the wrong server: c.test's answers for c.test only
        c.Policy.Allow("a.test", a.Address);
        await using var alice = await a.LoginAsync("alice");

        await alice.SendAsync("<message to='bob@b.test' type='chat' id='h1'><body>hello</body></message>");

        var bounce = await alice.ExpectAsync(e => e.Name == "message" && e.GetAttribute("type") == "error");
        Assert.Equal("h1", bounce.GetAttribute("id"));
        Assert.Equal(("remote-server-not-found", "cancel"), ErrorOf(bounce));
    }

    internal static (string? Condition, string? Type) ErrorOf(XmlElement bounce)
    {
        var error = bounce.Element("error", bounce.Namespace);
        return (error?.Elements().FirstOrDefault(c => c.Namespace == Stanzas && c.Name != "text")?.Name, error?.GetAttribute("type"));
    }
}

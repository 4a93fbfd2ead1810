using Converge.Core.Federation;
using Converge.Xmpp.Tests.Federation;
using Converge.Xmpp.Tests.Routing;
using Converge.Xmpp.Tests.Server;

namespace Converge.Xmpp.Tests.Hardening;

/// <summary>
/// The server-wide domain blocklist (converge block domain) and a user's own XEP-0191 domain items:
/// nothing from or to a listed domain, applied while the server runs, links refused and ended.
/// </summary>
public sealed class DomainBlocklistTests
{
    private const string Evil = "evil.test";

    private static InterconnectionAgreement Agreement(string domain) =>
        PeerDoor.Agreement(domain, InterconnectionFeature.Messaging | InterconnectionFeature.Presence | InterconnectionFeature.Subscription);

    private static async Task BlockServerWideAsync(TestServer server, string domain)
    {
        // As `converge block domain add` does from another process: only the store changes; the server's poller notices.
        await server.Stores.DomainBlocks.AddAsync(domain, DateTimeOffset.UtcNow);
        await AgreementLinkTests.WaitUntilAsync(() => server.Server.Context.DomainBlocks.IsBlocked(domain));
        Assert.True(server.Server.Context.DomainBlocks.IsBlocked(domain));
    }

    [Fact]
    public async Task Stanzas_from_a_listed_domain_and_its_subdomains_are_dropped_and_counted_while_others_pass()
    {
        await using var server = await TestServer.StartAsync();
        PeerDoor.Agree(server, Agreement(Evil), Agreement("muc." + Evil), Agreement("good.test"));
        await using var alice = await server.LoginAsync("alice", "pc");

        await PeerDoor.SendAsync(server, Evil, "<message xmlns='jabber:client' type='chat' from='spammer@evil.test' to='alice@example.test'><body>before</body></message>");
        Assert.Equal("before", (await alice.ExpectAsync(e => e.Name == "message")).ChildText("body", "jabber:client"));

        await BlockServerWideAsync(server, Evil);
        await PeerDoor.SendAsync(server, Evil, "<message xmlns='jabber:client' type='chat' from='spammer@evil.test' to='alice@example.test'><body>after</body></message>");
        await PeerDoor.SendAsync(server, "muc." + Evil, "<message xmlns='jabber:client' type='chat' from='room@muc.evil.test/x' to='alice@example.test'><body>sub</body></message>");
        await PeerDoor.SendAsync(server, Evil, "<presence xmlns='jabber:client' type='subscribe' from='spammer@evil.test' to='alice@example.test'/>");
        await PeerDoor.SendAsync(server, Evil, "<iq xmlns='jabber:client' type='get' id='v' from='spammer@evil.test/r' to='example.test'><query xmlns='jabber:iq:version'/></iq>");
        await PeerDoor.SendAsync(server, "good.test", "<message xmlns='jabber:client' type='chat' from='friend@good.test' to='alice@example.test'><body>friend</body></message>");

        var next = await alice.ExpectAsync(e => e.Name is "message" or "presence");
        Assert.Equal("friend@good.test", next.GetAttribute("from"));
        Assert.Equal(4, server.Server.Context.DomainBlocking.Stopped.Inbound);
    }

    [Fact]
    public async Task A_local_user_cannot_write_to_a_listed_domain_and_gets_not_allowed_naming_it()
    {
        await using var server = await TestServer.StartAsync();
        PeerDoor.Agree(server, Agreement(Evil));
        await using var alice = await server.LoginAsync("alice", "pc");

        // With the agreement and no link the stanza reaches the federation route: remote-server-not-found.
        await alice.SendAsync("<message to='bob@evil.test' type='chat' id='m1'><body>hi</body></message>");
        var first = await alice.ExpectAsync(e => e.Name == "message" && e.GetAttribute("id") == "m1");
        Assert.NotNull(first.Element("error", "jabber:client")!.Element("remote-server-not-found", "urn:ietf:params:xml:ns:xmpp-stanzas"));

        await BlockServerWideAsync(server, Evil);
        await alice.SendAsync("<message to='bob@evil.test' type='chat' id='m2'><body>hi</body></message>");
        var refused = await alice.ExpectAsync(e => e.Name == "message" && e.GetAttribute("id") == "m2");
        var error = refused.Element("error", "jabber:client")!;
        Assert.NotNull(error.Element("not-allowed", "urn:ietf:params:xml:ns:xmpp-stanzas"));
        Assert.Contains(Evil, error.ChildText("text", "urn:ietf:params:xml:ns:xmpp-stanzas"), StringComparison.Ordinal);
        Assert.Equal(1, server.Server.Context.DomainBlocking.Stopped.Outbound);
    }

    [Fact]
    public async Task Removing_a_domain_from_the_list_lets_its_stanzas_through_again()
    {
        await using var server = await TestServer.StartAsync();
        PeerDoor.Agree(server, Agreement(Evil));
        await using var alice = await server.LoginAsync("alice", "pc");
        await BlockServerWideAsync(server, Evil);

        await server.Stores.DomainBlocks.RemoveAsync(Evil);
        await AgreementLinkTests.WaitUntilAsync(() => !server.Server.Context.DomainBlocks.IsBlocked(Evil));
        await PeerDoor.SendAsync(server, Evil, "<message xmlns='jabber:client' type='chat' from='someone@evil.test' to='alice@example.test'><body>again</body></message>");

        Assert.Equal("again", (await alice.ExpectAsync(e => e.Name == "message")).ChildText("body", "jabber:client"));
    }

    [Fact]
    public async Task A_users_own_block_of_a_bare_domain_stops_every_address_at_it_and_only_for_that_user()
    {
        await using var server = await TestServer.StartAsync();
        PeerDoor.Agree(server, Agreement(Evil));
        await using var alice = await server.LoginAsync("alice", "pc");
        await using var carol = await server.LoginAsync("carol", "pc");
        await alice.SendAsync("<iq type='set' id='b'><block xmlns='urn:xmpp:blocking'><item jid='evil.test'/></block></iq>");
        await alice.ExpectAsync(e => e.GetAttribute("id") == "b" && e.GetAttribute("type") == "result");

        await PeerDoor.SendAsync(server, Evil, "<message xmlns='jabber:client' type='chat' from='one@evil.test/r' to='alice@example.test'><body>1</body></message>");
        await PeerDoor.SendAsync(server, Evil, "<message xmlns='jabber:client' type='chat' from='two@evil.test' to='carol@example.test'><body>2</body></message>");

        Assert.Equal("2", (await carol.ExpectAsync(e => e.Name == "message")).ChildText("body", "jabber:client"));
        await alice.ExpectNothingAsync(e => e.Name == "message", TimeSpan.FromMilliseconds(500));
        Assert.Equal(0, server.Server.Context.DomainBlocking.Stopped.Inbound);
    }
}

namespace Converge.Xmpp.Tests.Server;

/// <summary>Reaching a subscriber by number (+E164@domain) and seeing them under that address ever after.</summary>
public sealed class NumberAddressingTests
{
    private const string Bob = TestServer.BobsNumber + "@example.test";

    [Fact]
    public async Task A_contact_added_by_number_stays_on_that_address_for_roster_presence_and_messages()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await using var bob = await server.LoginAsync("bob", "phone");
        await alice.SendAsync("<iq type='get' id='r'><query xmlns='jabber:iq:roster'/></iq>");
        await alice.ExpectAsync(e => e.GetAttribute("id") == "r");

        await alice.SendAsync($"<presence to='{Bob}' type='subscribe'/>");
        var request = await bob.ExpectAsync(e => e.Name == "presence" && e.GetAttribute("type") == "subscribe");
        Assert.Equal("alice@example.test", request.GetAttribute("from"));
        await bob.SendAsync("<presence to='alice@example.test' type='subscribed'/>");

        // Alice's roster moves to 'to' on the number, and Bob's presence comes from the number.
        await alice.ExpectAsync(e => e.Name == "iq" && e.FirstElement()?.FirstElement()?.GetAttribute("jid") == Bob
            && e.FirstElement()!.FirstElement()!.GetAttribute("subscription") == "to");
        await alice.ExpectAsync(e => e.Name == "presence" && e.GetAttribute("from") == Bob + "/phone" && e.GetAttribute("type") is null);

        await alice.SendAsync($"<message to='{Bob}' type='chat'><body>hi by number</body></message>");
        var m = await bob.ExpectAsync(e => e.Name == "message");
        Assert.Equal("hi by number", m.ChildText("body", "jabber:client"));
        await bob.SendAsync("<message to='alice@example.test' type='chat'><body>answer</body></message>");
        var answer = await alice.ExpectAsync(e => e.Name == "message");
        Assert.Equal(Bob + "/phone", answer.GetAttribute("from"));
    }

    [Fact]
    public async Task Directory_search_finds_users_by_name_and_number()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await alice.SendAsync("<iq type='set' id='s1' to='search.example.test'><query xmlns='jabber:iq:search'><nick>bo</nick></query></iq>");
        var byName = await alice.ExpectAsync(e => e.GetAttribute("id") == "s1");
        Assert.Equal("bob@example.test", Assert.Single(byName.FirstElement()!.Elements()).GetAttribute("jid"));

        await alice.SendAsync($"<iq type='set' id='s2' to='search.example.test'><query xmlns='jabber:iq:search'><nick>{TestServer.BobsNumber}</nick></query></iq>");
        var byNumber = await alice.ExpectAsync(e => e.GetAttribute("id") == "s2");
        Assert.Equal("bob@example.test", Assert.Single(byNumber.FirstElement()!.Elements()).GetAttribute("jid"));

        await alice.SendAsync("<iq type='get' id='i' to='example.test'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>");
        var items = await alice.ExpectAsync(e => e.GetAttribute("id") == "i");
        Assert.Contains(items.FirstElement()!.Elements(), i => i.GetAttribute("jid") == "search.example.test");
    }

    [Fact]
    public async Task A_domain_without_agreement_is_refused_with_not_allowed()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await alice.SendAsync("<message to='someone@elsewhere.test' type='chat'><body>hello?</body></message>");
        var error = await alice.ExpectAsync(e => e.Name == "message" && e.GetAttribute("type") == "error");
        var condition = error.Element("error", "jabber:client")!;
        Assert.NotNull(condition.Element("not-allowed", "urn:ietf:params:xml:ns:xmpp-stanzas"));
        Assert.Contains("no interconnection agreement", condition.ChildText("text", "urn:ietf:params:xml:ns:xmpp-stanzas"), StringComparison.Ordinal);
    }
}

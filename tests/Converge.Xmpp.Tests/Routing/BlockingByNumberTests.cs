using Converge.Xmpp.Tests.Server;

namespace Converge.Xmpp.Tests.Routing;

/// <summary>
/// A block holds whatever name the blocked party goes by: a subscriber's number reaches the same
/// account, so it meets the same block lists (XEP-0191 against the resolved account).
/// </summary>
public sealed class BlockingByNumberTests
{
    private const string BobsNumberJid = TestServer.BobsNumber + "@example.test";
    private const string Stanzas = "urn:ietf:params:xml:ns:xmpp-stanzas";

    private static async Task BlockAsync(Support.TestClient client, string jid)
    {
        await client.SendAsync($"<iq type='set' id='block'><block xmlns='urn:xmpp:blocking'><item jid='{jid}'/></block></iq>");
        await client.ExpectAsync(e => e.GetAttribute("id") == "block" && e.GetAttribute("type") == "result");
    }

    [Theory]
    [InlineData("bob@example.test", BobsNumberJid)]
    [InlineData(BobsNumberJid, "bob@example.test")]
    public async Task Blocking_a_subscriber_under_one_name_stops_messages_to_the_other(string blocked, string writtenTo)
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await using var bob = await server.LoginAsync("bob", "phone");
        await BlockAsync(alice, blocked);

        await alice.SendAsync($"<message to='{writtenTo}' id='m1' type='chat'><body>psst</body></message>");
        var error = await alice.ExpectAsync(e => e.Name == "message" && e.GetAttribute("id") == "m1");
        Assert.Equal("error", error.GetAttribute("type"));
        Assert.Equal(writtenTo, error.GetAttribute("from"));
        Assert.NotNull(error.Element("error", "jabber:client")!.Element("not-acceptable", Stanzas));
        Assert.NotNull(error.Element("error", "jabber:client")!.Element("blocked", "urn:xmpp:blocking:errors"));
        await bob.ExpectNothingAsync(e => e.Name == "message", TimeSpan.FromMilliseconds(300));

        // The positive control: without the block the same message arrives.
        await alice.SendAsync($"<iq type='set' id='unblock'><unblock xmlns='urn:xmpp:blocking'/></iq>");
        await alice.ExpectAsync(e => e.GetAttribute("id") == "unblock");
        await alice.SendAsync($"<message to='{writtenTo}' id='m2' type='chat'><body>hello</body></message>");
        Assert.Equal("hello", (await bob.ExpectAsync(e => e.Name == "message")).ChildText("body", "jabber:client"));
    }

    [Fact]
    public async Task A_sender_blocked_by_the_subscriber_does_not_reach_them_through_their_number()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await using var bob = await server.LoginAsync("bob", "phone");
        await BlockAsync(bob, "alice@example.test");

        await alice.SendAsync($"<message to='{BobsNumberJid}' id='m1' type='chat'><body>it is me</body></message>");
        var error = await alice.ExpectAsync(e => e.Name == "message" && e.GetAttribute("id") == "m1");
        Assert.NotNull(error.Element("error", "jabber:client")!.Element("service-unavailable", Stanzas));
        Assert.Equal(BobsNumberJid, error.GetAttribute("from")); // the error does not reveal whose number it is
        await bob.ExpectNothingAsync(e => e.Name == "message", TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task A_contact_subscribed_to_a_number_gets_no_presence_once_the_subscriber_blocks_them()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.LoginAsync("bob", "phone");
        await using (var alice = await server.LoginAsync("alice", "pc"))
        {
            await alice.SendAsync($"<presence to='{BobsNumberJid}' type='subscribe'/>");
            await bob.ExpectAsync(e => e.Name == "presence" && e.GetAttribute("type") == "subscribe");
            await bob.SendAsync("<presence to='alice@example.test' type='subscribed'/>");
            await alice.ExpectAsync(e => e.Name == "presence" && e.GetAttribute("from") == BobsNumberJid + "/phone" && e.GetAttribute("type") is null);
        }

        // Positive control first: a new resource of Alice's learns Bob's presence through the number.
        await using (var again = await server.LoginAsync("alice", "tablet"))
        {
            await again.ExpectAsync(e => e.Name == "presence" && e.GetAttribute("from") == BobsNumberJid + "/phone");
        }

        await BlockAsync(bob, "alice@example.test");
        await using var blocked = await server.LoginAsync("alice", "laptop");
        await blocked.ExpectNothingAsync(e => e.Name == "presence" && e.GetAttribute("from")!.StartsWith(TestServer.BobsNumber, StringComparison.Ordinal), TimeSpan.FromMilliseconds(500));
        await bob.SendAsync("<presence><show>away</show></presence>");
        await blocked.ExpectNothingAsync(e => e.Name == "presence" && e.GetAttribute("from")!.Contains("bob", StringComparison.Ordinal), TimeSpan.FromMilliseconds(300));
        await blocked.ExpectNothingAsync(e => e.Name == "presence" && e.GetAttribute("from")!.StartsWith(TestServer.BobsNumber, StringComparison.Ordinal), TimeSpan.FromMilliseconds(300));
    }
}

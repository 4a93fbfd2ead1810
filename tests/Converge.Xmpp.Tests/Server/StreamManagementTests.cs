using System.Globalization;
using Converge.Xmpp.Tests.Support;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Server;

/// <summary>XEP-0198 end to end: acks, resumption after a cut connection, and no message lost when a client never returns.</summary>
public sealed class StreamManagementTests
{
    private const string Sm = "urn:xmpp:sm:3";

    private static async Task<string> EnableAsync(TestClient client)
    {
        await client.SendAsync($"<enable xmlns='{Sm}' resume='true'/>");
        var enabled = await client.ExpectAsync(e => e.Namespace == Sm && e.Name == "enabled");
        Assert.Equal("true", enabled.GetAttribute("resume"));
        return enabled.GetAttribute("id")!;
    }

    private static int Body(XmlElement e) => int.Parse(e.ChildText("body", "jabber:client")!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task Server_counts_handled_stanzas_and_answers_r_with_h()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await EnableAsync(alice);
        for (var i = 0; i < 3; i++)
        {
            await alice.SendAsync($"<iq type='get' id='p{i}' to='example.test'><ping xmlns='urn:xmpp:ping'/></iq>");
        }

        await alice.SendAsync($"<r xmlns='{Sm}'/>");
        var a = await alice.ExpectAsync(e => e.Namespace == Sm && e.Name == "a");
        Assert.Equal("3", a.GetAttribute("h"));
    }

    [Fact]
    public async Task Server_requests_acks_for_what_it_sends()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await EnableAsync(alice);
        await alice.SendAsync("<iq type='get' id='p1' to='example.test'><ping xmlns='urn:xmpp:ping'/></iq>");
        await alice.ExpectAsync(e => e.Namespace == Sm && e.Name == "r");
    }

    [Fact]
    public async Task Cut_connection_is_resumed_and_every_message_arrives_once_in_order()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        var bob = await server.LoginAsync("bob", "phone");
        var id = await EnableAsync(bob);

        const int total = 200;
        var received = new List<int>();
        var sender = Task.Run(async () =>
        {
            for (var i = 0; i < total; i++)
            {
                await alice.SendAsync($"<message to='bob@example.test/phone' type='chat'><body>{i}</body></message>");
            }
        });

        // Bob reads (and acknowledges) part of the burst, then his connection dies without a goodbye.
        while (received.Count < 50)
        {
            received.Add(Body(await bob.ExpectAsync(e => e.Name == "message")));
        }

        await bob.SendAsync($"<a xmlns='{Sm}' h='{received.Count}'/>");
        await bob.AbortAsync();
        await sender;

        // He comes back, resumes with what he has, and gets the rest exactly once.
        await using var back = await TestClient.ConnectAsync(server.Endpoint);
        await back.StartTlsAsync();
        await back.AuthenticatePlainAsync("bob", "secret-bob");
        await back.ExpectAsync(e => e.Name == "features");
        await back.SendAsync($"<resume xmlns='{Sm}' previd='{id}' h='{received.Count}'/>");
        var resumed = await back.ExpectAsync(e => e.Namespace == Sm && e.Name is "resumed" or "failed");
        Assert.Equal("resumed", resumed.Name);
        while (received.Count < total)
        {
            received.Add(Body(await back.ExpectAsync(e => e.Name == "message")));
        }

        Assert.Equal(Enumerable.Range(0, total), received);
        await back.ExpectNothingAsync(e => e.Name == "message", TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task Unacknowledged_messages_go_offline_when_the_client_never_returns()
    {
        await using var server = await TestServer.StartAsync(client: c => c.ResumeTimeout = TimeSpan.FromMilliseconds(500));
        await using var alice = await server.LoginAsync("alice", "pc");
        var bob = await server.LoginAsync("bob", "phone");
        await EnableAsync(bob);
        for (var i = 0; i < 10; i++)
        {
            await alice.SendAsync($"<message to='bob@example.test' type='chat'><body>{i}</body></message>");
        }

        await bob.ExpectAsync(e => e.Name == "message" && e.ChildText("body", "jabber:client") == "9");
        await bob.AbortAsync(); // never acknowledged anything

        // The resumption window passes: bob's session ends and what he missed is stored offline.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (server.Server.SessionCount > 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(1, server.Server.SessionCount);

        await using var later = await server.LoginAsync("bob", "tablet");
        var got = new List<int>();
        while (got.Count < 10)
        {
            got.Add(Body(await later.ExpectAsync(e => e.Name == "message")));
        }

        Assert.Equal(Enumerable.Range(0, 10), got);
    }

    [Fact]
    public async Task Another_users_resumption_id_is_not_found()
    {
        await using var server = await TestServer.StartAsync();
        var bob = await server.LoginAsync("bob", "phone");
        var id = await EnableAsync(bob);
        await bob.AbortAsync();

        await using var mallory = await TestClient.ConnectAsync(server.Endpoint);
        await mallory.StartTlsAsync();
        await mallory.AuthenticatePlainAsync("carol", "secret-carol");
        await mallory.ExpectAsync(e => e.Name == "features");
        await mallory.SendAsync($"<resume xmlns='{Sm}' previd='{id}' h='0'/>");
        var failed = await mallory.ExpectAsync(e => e.Namespace == Sm);
        Assert.Equal("failed", failed.Name);
        Assert.NotNull(failed.Element("item-not-found", "urn:ietf:params:xml:ns:xmpp-stanzas"));
    }

    [Fact]
    public async Task Inactive_client_gets_presence_late_but_messages_at_once()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await using var alice2 = await server.LoginAsync("alice", "phone");
        await alice2.SendAsync("<inactive xmlns='urn:xmpp:csi:0'/>");
        await alice2.SendAsync("<iq type='get' id='sync' to='example.test'><ping xmlns='urn:xmpp:ping'/></iq>");
        await alice2.ExpectAsync(e => e.GetAttribute("id") == "sync");

        await alice.SendAsync("<presence><show>dnd</show></presence>");
        await alice2.ExpectNothingAsync(e => e.Name == "presence" && e.Element("show", "jabber:client") is not null, TimeSpan.FromMilliseconds(400));

        await alice2.SendAsync("<active xmlns='urn:xmpp:csi:0'/>");
        await alice2.ExpectAsync(e => e.Name == "presence" && e.ChildText("show", "jabber:client") == "dnd");
    }
}

using Converge.Core.Addressing;
using Converge.Xmpp.Tests.Server;
using Converge.Xmpp.Tests.Support;

namespace Converge.Xmpp.Tests.Hardening;

/// <summary>Limits.Client.MaxQueuedBytes: what one session may hold (queued plus unacknowledged), and a backlog larger than that still drains.</summary>
public sealed class SessionByteBoundTests
{
    private const string Sm = "urn:xmpp:sm:3";

    private static string Message(string to, string id, int bytes) =>
        $"<message to='{to}' type='chat' id='{id}'><body>{new string('x', bytes)}</body></message>";

    [Fact]
    public async Task A_client_that_never_acknowledges_is_cut_at_the_byte_bound_and_nothing_it_missed_is_lost()
    {
        await using var server = await TestServer.StartAsync(c => c.MaxQueuedBytes = 64 * 1024);
        var bob = await server.LoginAsync("bob", "phone");
        await bob.SendAsync($"<enable xmlns='{Sm}'/>");
        await bob.ExpectAsync(e => e.Namespace == Sm && e.Name == "enabled");
        await using var alice = await server.LoginAsync("alice", "pc");

        // Bob reads everything but never answers <r/>: under XEP-0198 all of it stays unacknowledged.
        const int total = 40; // 40 x 4 KB = 160 KB, well past the 64 KB bound, far under the 10,000-stanza one
        for (var i = 0; i < total; i++)
        {
            await alice.SendAsync(Message("bob@example.test", "m" + i, 4000));
        }

        Assert.Equal("policy-violation", await bob.ExpectStreamEndAsync());
        await bob.DisposeAsync();

        // Alice's stanzas are routed in order: once her ping is answered, all forty were routed.
        // (Live messages are not paced: had they still been arriving, they could fill the next session too.)
        await alice.SendAsync("<iq type='get' id='sync' to='example.test'><ping xmlns='urn:xmpp:ping'/></iq>");
        await alice.ExpectAsync(e => e.GetAttribute("id") == "sync");

        // The server is up, and every message Bob never confirmed waits for him: none lost, none twice.
        await using var bobAgain = await server.LoginAsync("bob", "tablet");
        var ids = new List<string>();
        while (ids.Count < total)
        {
            var message = await bobAgain.ExpectAsync(e => e.Name is "message" or "error");
            Assert.True(message.Name == "message", message.ToString());
            ids.Add(message.GetAttribute("id")!);
        }

        Assert.Equal(Enumerable.Range(0, total).Select(i => "m" + i).Order(), ids.Order());
        await bobAgain.ExpectNothingAsync(e => e.Name == "message", TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public async Task A_backlog_ten_times_the_bound_is_handed_out_at_the_pace_of_the_clients_acknowledgements()
    {
        await using var server = await TestServer.StartAsync(c => c.MaxQueuedBytes = 64 * 1024);
        await using (var alice = await server.LoginAsync("alice", "pc"))
        {
            for (var i = 0; i < 160; i++)
            {
                await alice.SendAsync(Message("bob@example.test", "m" + i, 4000)); // 640 KB for Bob, who is offline
            }

            await alice.SendAsync("<iq type='get' id='sync' to='example.test'><ping xmlns='urn:xmpp:ping'/></iq>");
            await alice.ExpectAsync(e => e.GetAttribute("id") == "sync");
        }

        Assert.Equal(160, await server.Stores.Offline.CountAsync(Jid.Parse("bob@example.test")));

        await using var bob = await server.LoginAsync("bob", "phone", available: false);
        await bob.SendAsync($"<enable xmlns='{Sm}'/>");
        await bob.ExpectAsync(e => e.Namespace == Sm && e.Name == "enabled");
        await bob.SendAsync("<presence/>");

        var received = 0;
        var maxUnacknowledged = 0L;
        while (received < 160)
        {
            var e = await bob.ExpectAsync(e => e.Name == "message" || (e.Namespace == Sm && e.Name == "r"));
            if (e.Name == "message")
            {
                received++;
            }
            else
            {
                maxUnacknowledged = Math.Max(maxUnacknowledged, server.Server.Context.Sessions.SessionsOf(Jid.Parse("bob@example.test"))[0].PendingBytes);
                await bob.SendAsync($"<a xmlns='{Sm}' h='{received}'/>");
            }
        }

        Assert.InRange(maxUnacknowledged, 1, 64 * 1024);

        // Removed from storage batch by batch as handed out; the last batch's removal may trail its last message.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await server.Stores.Offline.CountAsync(Jid.Parse("bob@example.test")) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the delivered backlog was not removed from offline storage");
            await Task.Delay(50);
        }

        await bob.SendAsync("<iq type='get' id='still' to='example.test'><ping xmlns='urn:xmpp:ping'/></iq>");
        await bob.ExpectAsync(e => e.GetAttribute("id") == "still"); // not cut
    }
}

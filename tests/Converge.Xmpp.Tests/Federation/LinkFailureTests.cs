using System.Net;
using System.Net.Sockets;
using Converge.Xmpp.Federation;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Federation;

/// <summary>What happens to stanzas for a peer the link cannot reach: each goes back to its sender with an error, in order.</summary>
public sealed class LinkFailureTests
{
    private const string Stanzas = "urn:ietf:params:xml:ns:xmpp-stanzas";

    private static string? ConditionOf(XmlElement error) =>
        error.Element("error", "jabber:client")?.Elements().FirstOrDefault(c => c.Namespace == Stanzas && c.Name != "text")?.Name;

    [Fact]
    public async Task Stanzas_for_a_peer_that_refuses_connections_bounce_in_order_with_remote_server_not_found()
    {
        await using var a = await FederatedServer.StartAsync("a.test");
        a.Policy.Allow("down.test", "127.0.0.1:" + ClosedPort());
        await using var alice = await a.LoginAsync("alice");

        for (var i = 0; i < 3; i++)
        {
            await alice.SendAsync($"<message to='bob@down.test' type='chat' id='m{i}'><body>{i}</body></message>");
        }

        for (var i = 0; i < 3; i++)
        {
            var bounce = await alice.ExpectAsync(e => e.Name == "message" && e.GetAttribute("type") == "error");
            Assert.Equal($"m{i}", bounce.GetAttribute("id"));
            Assert.Equal("bob@down.test", bounce.GetAttribute("from"));
            Assert.Equal(("remote-server-not-found", "wait"), LinkRefusalTests.ErrorOf(bounce)); // it may be up again later
        }

        var status = a.Federation.Snapshot().Single(p => p.Domain == "down.test");
        Assert.Equal(3, status.Bounced);
        Assert.Equal(0, status.Queued);
        Assert.Equal(OutboundLinkState.Idle, status.Outbound);
    }

    [Fact]
    public async Task Stanzas_for_a_peer_that_never_answers_bounce_with_remote_server_timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(); // accepts (the kernel does) and never says a word
        await using var a = await FederatedServer.StartAsync("a.test", linkSetupTimeout: TimeSpan.FromSeconds(1));
        a.Policy.Allow("silent.test", "127.0.0.1:" + ((IPEndPoint)silent.LocalEndpoint).Port);
        await using var alice = await a.LoginAsync("alice");

        await alice.SendAsync("<message to='bob@silent.test' type='chat' id='t1'><body>hello?</body></message>");
        await alice.SendAsync("<iq to='silent.test' type='get' id='t2'><ping xmlns='urn:xmpp:ping'/></iq>");

        var message = await alice.ExpectAsync(e => e.Name == "message" && e.GetAttribute("type") == "error");
        Assert.Equal("t1", message.GetAttribute("id"));
        Assert.Equal(("remote-server-timeout", "wait"), LinkRefusalTests.ErrorOf(message));
        var iq = await alice.ExpectAsync(e => e.Name == "iq" && e.GetAttribute("type") == "error");
        Assert.Equal("t2", iq.GetAttribute("id"));
        Assert.Equal("remote-server-timeout", ConditionOf(iq));
    }

    [Fact]
    public async Task Beyond_the_queue_limit_stanzas_bounce_at_once_with_resource_constraint_and_the_queued_ones_later()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        await using var a = await FederatedServer.StartAsync("a.test", linkSetupTimeout: TimeSpan.FromSeconds(1), maxQueued: 2);
        a.Policy.Allow("silent.test", "127.0.0.1:" + ((IPEndPoint)silent.LocalEndpoint).Port);
        await using var alice = await a.LoginAsync("alice");

        for (var i = 0; i < 4; i++)
        {
            await alice.SendAsync($"<message to='bob@silent.test' type='chat' id='q{i}'><body>{i}</body></message>");
        }

        var bounces = new List<(string?, string?)>();
        for (var i = 0; i < 4; i++)
        {
            var bounce = await alice.ExpectAsync(e => e.Name == "message" && e.GetAttribute("type") == "error");
            bounces.Add((bounce.GetAttribute("id"), ConditionOf(bounce)));
        }

        Assert.Equal(
            [("q2", "resource-constraint"), ("q3", "resource-constraint"), ("q0", "remote-server-timeout"), ("q1", "remote-server-timeout")],
            bounces);
        Assert.Equal(4, a.Federation.Snapshot().Single(p => p.Domain == "silent.test").Bounced);
    }

    [Fact]
    public async Task A_link_that_failed_is_tried_again_for_the_next_stanza()
    {
        await using var a = await FederatedServer.StartAsync("a.test");
        await using var b = await FederatedServer.StartAsync("b.test");
        b.Policy.Allow("a.test", a.Address);
        a.Policy.Allow("b.test", "127.0.0.1:" + ClosedPort());
        await using var alice = await a.LoginAsync("alice");
        await using var bob = await b.LoginAsync("bob");

        await alice.SendAsync("<message to='bob@b.test' type='chat' id='lost'><body>first</body></message>");
        await alice.ExpectAsync(e => e.Name == "message" && e.GetAttribute("type") == "error");

        // The operator fixes the address; the next stanza makes a new attempt.
        a.Policy.Allow("b.test", b.Address);
        await alice.SendAsync("<message to='bob@b.test' type='chat'><body>second</body></message>");
        var arrived = await bob.ExpectAsync(e => e.Name == "message");
        Assert.Equal("second", arrived.ChildText("body", "jabber:client"));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using Converge.Core.Addressing;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Federation;

/// <summary>
/// Errors and IQ results cross between providers only as replies to requests that went the other
/// way, and only our own users and services speak on our links. A hostile peer is a
/// <see cref="RawPeer"/> authenticated as a.test with SASL EXTERNAL; well-behaved ones are real servers.
/// </summary>
public sealed class RepliesOnlyTests
{
    [Fact]
    public async Task An_unsolicited_iq_result_and_error_message_from_a_peer_reach_nobody_and_are_counted()
    {
        await using var b = await FederatedServer.StartAsync("b.test", TestCertificates.Issued("b.test"), trusted: [TestCertificates.Authority]);
        b.Policy.Allow("a.test", null);
        await using var bob = await b.LoginAsync("bob");
        await using var peer = await RawPeer.AuthenticatedAsync(b);

        await peer.SendAsync(
            "<iq from='mallory@a.test/x' to='bob@b.test/pc' type='result' id='never-asked'>" +
            "<query xmlns='jabber:iq:roster'><item jid='mallory@a.test' subscription='both'/></query></iq>");
        await peer.SendAsync(
            "<message from='mallory@a.test/x' to='bob@b.test' type='error' id='never-sent'><body>click here</body>" +
            "<error type='cancel'><undefined-condition xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
        await peer.SendAsync("<message from='mallory@a.test/x' to='bob@b.test' type='chat' id='c1'><body>after</body></message>");

        // The link stays up and keeps order: the chat message after them arrives, they did not.
        var first = await bob.ExpectAsync(e => e.Name is "message" or "iq" && e.GetAttribute("from")?.StartsWith("mallory@", StringComparison.Ordinal) == true);
        Assert.Equal("c1", first.GetAttribute("id"));
        await bob.ExpectNothingAsync(e => e.GetAttribute("from")?.StartsWith("mallory@", StringComparison.Ordinal) == true, TimeSpan.FromMilliseconds(300));
        var status = b.Federation.Snapshot().Single(p => p.Domain == "a.test");
        Assert.Equal(2, status.UnsolicitedRepliesIn);
        Assert.Equal(1, status.StanzasIn);
    }

    [Fact]
    public async Task Answers_to_requests_cross_back_and_an_unsolicited_result_from_our_user_does_not_leave()
    {
        await using var a = await FederatedServer.StartAsync("a.test");
        await using var b = await FederatedServer.StartAsync("b.test");
        a.AgreeWith(b);
        await using var alice = await a.LoginAsync("alice");
        await using var bob = await b.LoginAsync("bob");

        // A client's answer to an IQ from the other provider.
        await alice.SendAsync("<iq to='bob@b.test/pc' type='get' id='v1'><query xmlns='jabber:iq:version'/></iq>");
        var request = await bob.ExpectAsync(e => e.Name == "iq" && e.GetAttribute("type") == "get");
        Assert.Equal("v1", request.GetAttribute("id"));
        await bob.SendAsync("<iq to='alice@a.test/pc' type='result' id='v1'><query xmlns='jabber:iq:version'><name>bob's client</name></query></iq>");
        var result = await alice.ExpectAsync(e => e.Name == "iq");
        Assert.Equal(("result", "v1"), (result.GetAttribute("type"), result.GetAttribute("id")));

        // A server's error for a message to nobody there.
        await alice.SendAsync("<message to='nobody@b.test' type='chat' id='n1'><body>anyone?</body></message>");
        var bounce = await alice.ExpectAsync(e => e.Name == "message" && e.GetAttribute("type") == "error");
        Assert.Equal(("n1", "nobody@b.test"), (bounce.GetAttribute("id"), bounce.GetAttribute("from")));

        // bob's client "answers" what alice never asked: b.test does not let it leave.
        await bob.SendAsync("<iq to='alice@a.test/pc' type='result' id='forged'><query xmlns='jabber:iq:roster'/></iq>");
        await alice.ExpectNothingAsync(e => e.Name == "iq", TimeSpan.FromMilliseconds(300));
        Assert.Equal(1, b.Federation.Snapshot().Single(p => p.Domain == "a.test").UnsolicitedRepliesOut);
        Assert.Equal(0, a.Federation.Snapshot().Single(p => p.Domain == "b.test").UnsolicitedRepliesIn);
    }

    [Fact]
    public async Task A_stanza_whose_sender_is_not_ours_never_leaves_on_our_link()
    {
        await using var a = await FederatedServer.StartAsync("a.test");
        await using var b = await FederatedServer.StartAsync("b.test");
        a.AgreeWith(b);
        await using var bob = await b.LoginAsync("bob");

        var transit = new XmlElement("message", Namespaces.Client).SetAttribute("from", "carol@c.test/pc").SetAttribute("to", "bob@b.test").SetAttribute("type", "chat");
        transit.AddElement("body").AddText("through a.test");
        Assert.True(await a.Federation.SendAsync(new Stanza(transit, StanzaKind.Message, Jid.Parse("carol@c.test/pc"), Jid.Parse("bob@b.test")), CancellationToken.None));

        await using var alice = await a.LoginAsync("alice");
        await alice.SendAsync("<message to='bob@b.test' type='chat' id='ours'><body>from a.test itself</body></message>");
        var arrived = await bob.ExpectAsync(e => e.Name == "message");
        Assert.Equal("ours", arrived.GetAttribute("id"));
        // The counter moves once the write completes, which can be just after bob has read the stanza.
        await AgreementLinkTests.WaitUntilAsync(() => a.Federation.Snapshot().Single(p => p.Domain == "b.test").StanzasOut >= 1);
        var status = a.Federation.Snapshot().Single(p => p.Domain == "b.test");
        Assert.Equal((1, 1), (status.ForeignSendersDropped, status.StanzasOut));
    }
}

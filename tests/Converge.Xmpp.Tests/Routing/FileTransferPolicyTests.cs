using Converge.Core.Addressing;
using Converge.Core.Federation;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Tests.Server;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Routing;

/// <summary>
/// The <see cref="InterconnectionFeature.FileTransfer"/> agreement feature: messages carrying a file
/// link (XEP-0066 out-of-band data) cross only where the agreement has it, both ways; and a peer's
/// users never get upload slots from our service.
/// </summary>
public sealed class FileTransferPolicyTests
{
    private const string Peer = "b.test";
    private const string Stanzas = "urn:ietf:params:xml:ns:xmpp-stanzas";

    private const string LinkFromPeer =
        "<message xmlns='jabber:client' type='chat' id='f' from='bob@b.test/x' to='alice@example.test'>"
        + "<body>http://b.test/f.png</body><x xmlns='jabber:x:oob'><url>http://b.test/f.png</url></x></message>";

    private static async Task<(TestServer Server, List<XmlElement> Out)> StartAsync(InterconnectionFeature features, bool upload = false)
    {
        var server = upload ? await TestServer.StartWithUploadAsync() : await TestServer.StartAsync();
        PeerDoor.Agree(server, PeerDoor.Agreement(Peer, features));
        var sent = new List<XmlElement>();
        server.Server.Context.Events.Hook(RoutingEventNames.RouteRemote, RoutePriority.Delivery + 1, "test: what leaves", (routed, _) =>
        {
            lock (sent)
            {
                sent.Add(routed.Stanza.Element);
            }

            return ValueTask.FromResult(true);
        });
        return (server, sent);
    }

    private static string? Condition(XmlElement reply) => reply.Element("error", "jabber:client")?.Elements().FirstOrDefault(e => e.Namespace == Stanzas)?.Name;

    private static Task<int> OfflineCountAsync(TestServer server) => server.Stores.Offline.CountAsync(Jid.Parse("alice@example.test"));

    [Fact]
    public async Task A_peers_file_link_is_refused_without_FileTransfer_and_never_reaches_the_user()
    {
        var (server, sent) = await StartAsync(InterconnectionFeature.Messaging);
        await using var _ = server;
        await PeerDoor.SendAsync(server, Peer, LinkFromPeer);

        var reply = Assert.Single(sent);
        Assert.Equal(("error", "not-allowed"), (reply.GetAttribute("type"), Condition(reply)));
        Assert.Equal(0, await OfflineCountAsync(server));
    }

    [Fact]
    public async Task A_plain_message_from_the_same_peer_still_crosses_without_FileTransfer()
    {
        var (server, sent) = await StartAsync(InterconnectionFeature.Messaging);
        await using var _ = server;
        await PeerDoor.SendAsync(server, Peer, "<message xmlns='jabber:client' type='chat' id='p' from='bob@b.test/x' to='alice@example.test'><body>hi</body></message>");

        Assert.Empty(sent);
        Assert.Equal(1, await OfflineCountAsync(server));
    }

    [Fact]
    public async Task A_peers_file_link_crosses_with_FileTransfer()
    {
        var (server, sent) = await StartAsync(InterconnectionFeature.Messaging | InterconnectionFeature.FileTransfer);
        await using var _ = server;
        await PeerDoor.SendAsync(server, Peer, LinkFromPeer);

        Assert.Empty(sent);
        Assert.Equal(1, await OfflineCountAsync(server));
    }

    [Theory]
    [InlineData(InterconnectionFeature.Messaging, false)]
    [InlineData(InterconnectionFeature.Messaging | InterconnectionFeature.FileTransfer, true)]
    public async Task Our_users_file_link_leaves_only_with_FileTransfer(InterconnectionFeature features, bool leaves)
    {
        var (server, sent) = await StartAsync(features);
        await using var _ = server;
        var element = XmlFragment.Parse(
            "<message xmlns='jabber:client' type='chat' id='o' from='alice@example.test/x' to='bob@b.test'>"
            + "<body>http://example.test/f.png</body><x xmlns='jabber:x:oob'><url>http://example.test/f.png</url></x></message>",
            new XmlLimits())!;
        await server.Server.Context.Router.RouteAsync(
            new Stanza(element, StanzaKind.Message, Jid.Parse("alice@example.test/x"), Jid.Parse("bob@b.test")), CancellationToken.None);

        Assert.Equal(leaves, sent.Any(s => s.GetAttribute("to") == "bob@b.test" && s.GetAttribute("type") == "chat"));
    }

    [Fact]
    public async Task A_peers_user_gets_no_upload_slot_even_where_the_agreement_allows_messaging_and_files()
    {
        var (server, sent) = await StartAsync(InterconnectionFeature.Messaging | InterconnectionFeature.FileTransfer, upload: true);
        await using var _ = server;
        await PeerDoor.SendAsync(server, Peer,
            "<iq xmlns='jabber:client' type='get' id='s' from='bob@b.test/x' to='upload.example.test'>"
            + "<request xmlns='urn:xmpp:http:upload:0' filename='a.png' size='10' content-type='image/png'/></iq>");

        var reply = Assert.Single(sent);
        Assert.Equal(("error", "not-allowed"), (reply.GetAttribute("type"), Condition(reply)));
        Assert.Null(reply.Element("slot", "urn:xmpp:http:upload:0"));
    }
}

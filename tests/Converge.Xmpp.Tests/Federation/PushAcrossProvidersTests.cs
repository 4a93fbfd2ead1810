using Converge.Core.Federation;
using Converge.Xmpp.Tests.Server;
using Converge.Xmpp.Tests.Support;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Federation;

/// <summary>
/// A push notification for an app server at a peer provider crosses the interconnection only when
/// the agreement grants Push; refused by our own agreement, the registration is kept.
/// </summary>
public sealed class PushAcrossProvidersTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private const InterconnectionFeature Basic = InterconnectionFeature.Messaging | InterconnectionFeature.Presence;
    private TestServer _a = null!;
    private TestServer _b = null!;

    public async Task InitializeAsync()
    {
        _a = await TestServer.StartAsync("a.test", federation: true, users: ["alice", "carol"]);
        _b = await TestServer.StartAsync("b.test", federation: true, users: ["bob"]);
        AgreeAToB(Basic);
        _b.Server.UpdateAgreements(new AgreementBook(false, [new InterconnectionAgreement("a.test", _a.Server.ServerEndpoint!.ToString(), Basic | InterconnectionFeature.Push, [], ExposurePolicy.None)], []));
    }

    private void AgreeAToB(InterconnectionFeature features) =>
        _a.Server.UpdateAgreements(new AgreementBook(false, [new InterconnectionAgreement("b.test", _b.Server.ServerEndpoint!.ToString(), features, [], ExposurePolicy.None)], []));

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    private static bool IsNotification(XmlElement e) =>
        e.Name == "iq" && e.FirstElement() is { Name: "pubsub" } pubsub
        && pubsub.Element("publish", "http://jabber.org/protocol/pubsub")?.GetAttribute("node") == "phone-node";

    private static bool IsBody(XmlElement e, string body) =>
        e.Name == "message" && e.ChildText("body", "jabber:client") == body;

    [Fact]
    public async Task Without_push_in_the_agreement_nothing_reaches_the_peers_app_server_and_with_it_the_notification_does()
    {
        await using var app = await _b.LoginAsync("bob", "app");
        var alice = await _a.LoginAsync("alice", "phone");
        await alice.SendAsync("<iq type='set' id='on'><enable xmlns='urn:xmpp:push:0' jid='bob@b.test/app' node='phone-node'/></iq>");
        Assert.Equal("result", (await alice.ExpectAsync(e => e.GetAttribute("id") == "on")).GetAttribute("type"));
        await alice.DisposeAsync();
        using (var gone = new CancellationTokenSource(Wait))
        {
            while (_a.Server.SessionCount > 0)
            {
                await Task.Delay(50, gone.Token); // waiting for the server to end alice's session, not asserting on time
            }
        }

        await using var carol = await _a.LoginAsync("carol", "pc");
        await carol.SendAsync("<message to='alice@a.test' type='chat'><body>while away 1</body></message>");
        await carol.SendAsync("<message to='bob@b.test/app' type='chat'><body>marker</body></message>");
        var first = await app.ExpectAsync(e => IsNotification(e) || IsBody(e, "marker"), Wait);
        Assert.True(IsBody(first, "marker"), "a notification crossed without Push in the agreement: " + first);

        AgreeAToB(Basic | InterconnectionFeature.Push);
        await carol.SendAsync("<message to='alice@a.test' type='chat'><body>while away 2</body></message>");
        var notification = await app.ExpectAsync(IsNotification, Wait);
        Assert.Equal("alice@a.test", notification.GetAttribute("from"));
        var form = notification.FirstElement()!.Element("publish", "http://jabber.org/protocol/pubsub")!
            .Element("item", "http://jabber.org/protocol/pubsub")!.Element("notification", "urn:xmpp:push:0")!.Element("x", "jabber:x:data")!;
        var fields = form.Elements("field", "jabber:x:data").ToDictionary(f => f.GetAttribute("var")!, f => f.ChildText("value", "jabber:x:data"));
        Assert.Equal("urn:xmpp:push:summary", fields["FORM_TYPE"]);
        Assert.StartsWith("carol@a.test", fields["last-message-sender"], StringComparison.Ordinal);
        Assert.False(fields.ContainsKey("last-message-body")); // bodies only with Push.IncludeBody
    }

    [Fact]
    public async Task A_peers_user_cannot_register_push_on_our_users_account()
    {
        await using var bob = await _b.LoginAsync("bob", "pc");

        await bob.SendAsync("<iq type='set' id='steal' to='alice@a.test'><enable xmlns='urn:xmpp:push:0' jid='bob@b.test/pc' node='n'/></iq>");

        var answer = await bob.ExpectAsync(e => e.GetAttribute("id") == "steal", Wait);
        Assert.Equal("error", answer.GetAttribute("type"));
        Assert.NotNull(answer.Element("error", "jabber:client")?.Element("forbidden", "urn:ietf:params:xml:ns:xmpp-stanzas"));
        Assert.Empty(await _a.Stores.Push.GetAsync(Core.Addressing.Jid.Parse("alice@a.test")));
    }
}

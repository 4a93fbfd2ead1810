using System.Globalization;
using Converge.Xmpp.Tests.Support;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Server;

/// <summary>XEP-0313 archive over a real stream: paging both ways, filters, stanza ids, bad queries, deletion.</summary>
public sealed class ArchiveTests
{
    private const string Mam = "urn:xmpp:mam:2";
    private const string Rsm = "http://jabber.org/protocol/rsm";

    private sealed record Page(List<XmlElement> Messages, XmlElement Fin);

    private static string Form(params (string Var, string Value)[] fields)
    {
        var x = $"<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'><value>{Mam}</value></field>";
        foreach (var (v, value) in fields)
        {
            x += $"<field var='{v}'><value>{value}</value></field>";
        }

        return x + "</x>";
    }

    private static async Task<Page> QueryAsync(TestClient client, string id, string form, string set)
    {
        await client.SendAsync($"<iq type='set' id='{id}'><query xmlns='{Mam}' queryid='{id}'>{form}{set}</query></iq>");
        var messages = new List<XmlElement>();
        while (true)
        {
            var e = await client.ExpectAsync(x => (x.Name == "message" && x.Element("result", Mam)?.GetAttribute("queryid") == id) || (x.Name == "iq" && x.GetAttribute("id") == id));
            if (e.Name == "iq")
            {
                Assert.Equal("result", e.GetAttribute("type"));
                return new Page(messages, e.Element("fin", Mam)!);
            }

            messages.Add(e);
        }
    }

    private static string Body(XmlElement result) =>
        result.Element("result", Mam)!.Element("forwarded", "urn:xmpp:forward:0")!.Element("message", "jabber:client")!.ChildText("body", "jabber:client")!;

    private static async Task SendNumberedAsync(TestClient from, string to, int count, string? thread = null)
    {
        for (var i = 0; i < count; i++)
        {
            var t = thread is null ? "" : $"<thread>{thread}</thread>";
            await from.SendAsync($"<message to='{to}' type='chat'><body>{i}</body>{t}</message>");
        }

        await from.SendAsync("<iq type='get' id='sync' to='example.test'><ping xmlns='urn:xmpp:ping'/></iq>");
        await from.ExpectAsync(e => e.GetAttribute("id") == "sync");
    }

    [Fact]
    public async Task Five_hundred_messages_page_forward_and_backward_each_once_in_order()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await SendNumberedAsync(alice, "bob@example.test", 500);

        var forward = new List<string>();
        string? after = null;
        for (var pages = 0; pages < 100; pages++)
        {
            var set = after is null ? $"<set xmlns='{Rsm}'><max>37</max></set>" : $"<set xmlns='{Rsm}'><max>37</max><after>{after}</after></set>";
            var page = await QueryAsync(alice, "f" + pages, Form(), set);
            forward.AddRange(page.Messages.Select(Body));
            if (page.Fin.GetAttribute("complete") == "true")
            {
                Assert.Equal("500", page.Fin.Element("set", Rsm)!.ChildText("count", Rsm));
                break;
            }

            after = page.Fin.Element("set", Rsm)!.ChildText("last", Rsm);
        }

        Assert.Equal(Enumerable.Range(0, 500).Select(i => i.ToString(CultureInfo.InvariantCulture)), forward);

        var backward = new List<string>();
        string? before = "";
        for (var pages = 0; pages < 100; pages++)
        {
            var page = await QueryAsync(alice, "b" + pages, Form(), $"<set xmlns='{Rsm}'><max>50</max><before>{before}</before></set>");
            backward.InsertRange(0, page.Messages.Select(Body));
            if (page.Fin.GetAttribute("complete") == "true")
            {
                break;
            }

            before = page.Fin.Element("set", Rsm)!.ChildText("first", Rsm);
        }

        Assert.Equal(forward, backward);
    }

    [Fact]
    public async Task Received_messages_carry_the_archive_stanza_id_and_both_sides_are_archived()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await using var bob = await server.LoginAsync("bob", "phone");
        await alice.SendAsync("<message to='bob@example.test' type='chat'><body>hello</body><stanza-id xmlns='urn:xmpp:sid:0' by='bob@example.test' id='forged'/></message>");
        var received = await bob.ExpectAsync(e => e.Name == "message");
        var sid = Assert.Single(received.Elements("stanza-id", "urn:xmpp:sid:0"));
        Assert.NotEqual("forged", sid.GetAttribute("id"));

        var bobs = await QueryAsync(bob, "q1", Form(("with", "alice@example.test")), "");
        var archived = Assert.Single(bobs.Messages);
        Assert.Equal(sid.GetAttribute("id"), archived.Element("result", Mam)!.GetAttribute("id"));

        var alices = await QueryAsync(alice, "q2", Form(("with", "bob@example.test")), "");
        Assert.Equal("hello", Body(Assert.Single(alices.Messages)));
    }

    [Fact]
    public async Task A_forged_stanza_id_is_archived_as_the_sender_wrote_it_but_never_in_the_recipients_copy()
    {
        // The recipient's row reuses the text of the sender's row (the stanza is written out once)
        // only while the element is unchanged; removing the forged id changes it.
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await using var bob = await server.LoginAsync("bob", "phone");
        await alice.SendAsync("<message to='bob@example.test' type='chat'><body>forged</body><stanza-id xmlns='urn:xmpp:sid:0' by='bob@example.test' id='forged'/></message>");
        await alice.SendAsync("<message to='bob@example.test' type='chat'><body>plain</body></message>");
        await bob.ExpectAsync(e => e.Name == "message" && e.ChildText("body", "jabber:client") == "plain");

        static List<string?> ForgedIds(XmlElement result) =>
            [.. result.Element("result", Mam)!.Element("forwarded", "urn:xmpp:forward:0")!.Element("message", "jabber:client")!
                .Elements("stanza-id", "urn:xmpp:sid:0").Select(e => e.GetAttribute("id"))];

        var bobs = (await QueryAsync(bob, "q1", Form(("with", "alice@example.test")), "")).Messages;
        var alices = (await QueryAsync(alice, "q2", Form(("with", "bob@example.test")), "")).Messages;

        Assert.Equal(["forged", "plain"], bobs.Select(Body));
        Assert.Equal(["forged", "plain"], alices.Select(Body));
        Assert.Empty(ForgedIds(bobs[0]));
        Assert.Equal(["forged"], ForgedIds(alices[0]));
        Assert.Empty(ForgedIds(bobs[1]));
        Assert.Empty(ForgedIds(alices[1]));
    }

    [Fact]
    public async Task Filters_by_contact_and_by_thread()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await SendNumberedAsync(alice, "bob@example.test", 3, thread: "t-one");
        await SendNumberedAsync(alice, "bob@example.test", 2, thread: "t-two");
        await SendNumberedAsync(alice, "carol@example.test", 4);

        Assert.Equal(5, (await QueryAsync(alice, "w", Form(("with", "bob@example.test")), "")).Messages.Count);
        Assert.Equal(4, (await QueryAsync(alice, "c", Form(("with", "carol@example.test")), "")).Messages.Count);
        var thread = await QueryAsync(alice, "t", Form(("{urn:converge:mam}thread", "t-two")), "");
        Assert.Equal(["0", "1"], thread.Messages.Select(Body));
    }

    [Fact]
    public async Task Form_advertises_the_thread_filter()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await alice.SendAsync($"<iq type='get' id='f'><query xmlns='{Mam}'/></iq>");
        var form = await alice.ExpectAsync(e => e.GetAttribute("id") == "f");
        var fields = form.FirstElement()!.FirstElement()!.Elements().Select(f => f.GetAttribute("var")).ToList();
        Assert.Contains("{urn:converge:mam}thread", fields);
        Assert.Contains("with", fields);
    }

    [Theory]
    [InlineData("<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>urn:xmpp:mam:2</value></field><field var='start'><value>yesterday</value></field></x>", "bad-request")]
    [InlineData("<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>urn:xmpp:mam:2</value></field><field var='colour'><value>red</value></field></x>", "feature-not-implemented")]
    [InlineData("<set xmlns='http://jabber.org/protocol/rsm'><after>no-such-id</after></set>", "item-not-found")]
    [InlineData("<set xmlns='http://jabber.org/protocol/rsm'><max>-5</max></set>", "bad-request")]
    public async Task Malformed_queries_get_precise_errors(string payload, string condition)
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await alice.SendAsync($"<iq type='set' id='bad'><query xmlns='{Mam}'>{payload}</query></iq>");
        var error = await alice.ExpectAsync(e => e.GetAttribute("id") == "bad");
        Assert.Equal("error", error.GetAttribute("type"));
        Assert.NotNull(error.Element("error", "jabber:client")!.Element(condition, "urn:ietf:params:xml:ns:xmpp-stanzas"));
    }

    [Fact]
    public async Task Absurd_page_size_is_clamped_and_another_users_archive_is_forbidden()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await using var bob = await server.LoginAsync("bob", "phone");
        await SendNumberedAsync(alice, "bob@example.test", 300);
        var page = await QueryAsync(alice, "big", Form(), $"<set xmlns='{Rsm}'><max>1000000</max></set>");
        Assert.Equal(250, page.Messages.Count);
        Assert.Null(page.Fin.GetAttribute("complete"));

        await bob.SendAsync($"<iq type='set' id='spy' to='alice@example.test'><query xmlns='{Mam}'/></iq>");
        var refused = await bob.ExpectAsync(e => e.GetAttribute("id") == "spy");
        Assert.NotNull(refused.Element("error", "jabber:client")!.Element("forbidden", "urn:ietf:params:xml:ns:xmpp-stanzas"));
    }

    [Fact]
    public async Task Preference_never_stops_archiving_and_delete_empties_the_archive()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await SendNumberedAsync(alice, "bob@example.test", 2);
        await alice.SendAsync($"<iq type='set' id='d'><delete xmlns='urn:converge:mam:delete'/></iq>");
        await alice.ExpectAsync(e => e.GetAttribute("id") == "d" && e.GetAttribute("type") == "result");
        Assert.Empty((await QueryAsync(alice, "after-delete", Form(), "")).Messages);

        await alice.SendAsync($"<iq type='set' id='p'><prefs xmlns='{Mam}' default='never'><always/><never/></prefs></iq>");
        await alice.ExpectAsync(e => e.GetAttribute("id") == "p" && e.GetAttribute("type") == "result");
        await SendNumberedAsync(alice, "bob@example.test", 2);
        Assert.Empty((await QueryAsync(alice, "after-never", Form(), "")).Messages);
    }

    [Fact]
    public async Task Carbons_copy_sent_and_received_messages_to_the_other_resource()
    {
        await using var server = await TestServer.StartAsync();
        await using var pc = await server.LoginAsync("alice", "pc");
        await using var phone = await server.LoginAsync("alice", "phone");
        await using var bob = await server.LoginAsync("bob", "phone");
        await phone.SendAsync("<iq type='set' id='c'><enable xmlns='urn:xmpp:carbons:2'/></iq>");
        await phone.ExpectAsync(e => e.GetAttribute("id") == "c" && e.GetAttribute("type") == "result");

        await pc.SendAsync("<message to='bob@example.test' type='chat'><body>from the pc</body></message>");
        var sent = await phone.ExpectAsync(e => e.Name == "message" && e.Element("sent", "urn:xmpp:carbons:2") is not null);
        Assert.Equal("alice@example.test", sent.GetAttribute("from"));
        Assert.Equal("from the pc", sent.Element("sent", "urn:xmpp:carbons:2")!.FirstElement()!.FirstElement()!.ChildText("body", "jabber:client"));

        await bob.SendAsync("<message to='alice@example.test/pc' type='chat'><body>to the pc</body></message>");
        var received = await phone.ExpectAsync(e => e.Name == "message" && e.Element("received", "urn:xmpp:carbons:2") is not null);
        Assert.Equal("to the pc", received.Element("received", "urn:xmpp:carbons:2")!.FirstElement()!.FirstElement()!.ChildText("body", "jabber:client"));
        await pc.ExpectAsync(e => e.Name == "message" && e.ChildText("body", "jabber:client") == "to the pc");
    }
}

using Converge.Xmpp.Im;
using Converge.Xmpp.Tests.Server;
using Converge.Xmpp.Tests.Support;

namespace Converge.Xmpp.Tests.Hardening;

/// <summary>XEP-0377: reports inside block requests are stored for the operator, bounded, and never stop the block.</summary>
public sealed class SpamReportingTests
{
    private static async Task BlockAsync(TestClient client, string id, string inner)
    {
        await client.SendAsync($"<iq type='set' id='{id}'><block xmlns='urn:xmpp:blocking'>{inner}</block></iq>");
        var answer = await client.ExpectAsync(e => e.Name == "iq" && e.GetAttribute("id") == id);
        Assert.Equal("result", answer.GetAttribute("type"));
    }

    [Fact]
    public async Task A_report_in_the_current_form_is_stored_with_reason_and_text_and_the_jid_is_blocked()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");

        await BlockAsync(alice, "b1", """
            <item jid='spammer@evil.example'>
              <report xmlns='urn:xmpp:reporting:1' reason='urn:xmpp:reporting:spam'><text xml:lang='en'>Buy cheap pills</text></report>
            </item>
            """);

        var report = Assert.Single(await server.Stores.SpamReports.ListAsync(10));
        Assert.Equal(("alice@example.test", "spammer@evil.example", "spam", "Buy cheap pills"), (report.Reporter, report.Reported, report.Reason, report.Text));
        Assert.Contains(Core.Addressing.Jid.Parse("spammer@evil.example"), await server.Stores.BlockLists.GetAsync(Core.Addressing.Jid.Parse("alice@example.test")));
    }

    [Fact]
    public async Task The_first_form_on_the_whole_block_as_slixmpp_sends_it_reports_every_item()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");

        await BlockAsync(alice, "b1", "<item jid='a@evil.example'/><item jid='b@evil.example'/><report xmlns='urn:xmpp:reporting:0'><abuse/></report>");

        var reports = await server.Stores.SpamReports.ListAsync(10);
        Assert.Equal(["b@evil.example", "a@evil.example"], reports.Select(r => r.Reported));
        Assert.All(reports, r => Assert.Equal("abuse", r.Reason));
    }

    [Fact]
    public async Task A_plain_block_stores_no_report()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await BlockAsync(alice, "b1", "<item jid='someone@evil.example'/>");

        Assert.Empty(await server.Stores.SpamReports.ListAsync(10));
    }

    [Fact]
    public async Task A_user_flooding_reports_stores_ten_a_minute_with_texts_cut_and_every_block_still_succeeds()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        var text = new string('x', 50_000);

        for (var i = 0; i < 40; i++)
        {
            await BlockAsync(alice, "b" + i, $"<item jid='victim{i}@a.example'><report xmlns='urn:xmpp:reporting:1' reason='urn:xmpp:reporting:spam'><text>{text}</text></report></item>");
        }

        var reports = await server.Stores.SpamReports.ListAsync(100);
        Assert.Equal(SpamReporting.DefaultPerMinute, reports.Count);
        Assert.All(reports, r => Assert.Equal(SpamReporting.MaxTextLength, r.Text!.Length));
        Assert.Equal(40 - SpamReporting.DefaultPerMinute, server.Server.Context.SpamReports.Dropped);
        Assert.Equal(40, (await server.Stores.BlockLists.GetAsync(Core.Addressing.Jid.Parse("alice@example.test"))).Count);
    }

    [Fact]
    public async Task The_server_advertises_reporting_in_disco()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync("alice", "pc");
        await alice.SendAsync("<iq type='get' id='d' to='example.test'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        var info = await alice.ExpectAsync(e => e.GetAttribute("id") == "d");

        Assert.Contains(info.Element("query", "http://jabber.org/protocol/disco#info")!.Elements("feature", "http://jabber.org/protocol/disco#info"), f => f.GetAttribute("var") == "urn:xmpp:reporting:1");
    }
}

using Converge.Xmpp.Pep;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Pep;

public sealed class BookmarkConversionTests
{
    private static XmlElement Parse(string xml) => XmlFragment.Parse(xml, new XmlLimits())!;

    [Fact]
    public void Legacy_conferences_become_one_native_item_each_keyed_by_room_and_come_back_with_the_urls()
    {
        var legacy = Parse("""
            <storage xmlns='storage:bookmarks'>
              <conference name='Council' autojoin='1' jid='council@conference.example'><nick>alice</nick><password>pw</password></conference>
              <conference jid='lobby@conference.example'/>
              <conference name='no jid'/>
              <url name='Home' url='https://example.org/'/>
            </storage>
            """);

        var native = BookmarkConversion.ToNative(legacy);

        Assert.Equal(["council@conference.example", "lobby@conference.example"], native.Select(n => n.Jid));
        Assert.Equal("<conference xmlns='urn:xmpp:bookmarks:1' name='Council' autojoin='true'><nick>alice</nick><password>pw</password></conference>", XmlWriter.ToXmlString(native[0].Conference));
        Assert.Equal("false", native[1].Conference.GetAttribute("autojoin"));

        var items = native.Select((n, i) => new PepItem(n.Jid, i, n.Conference));
        var back = BookmarkConversion.ToLegacy(items, legacy);
        var conferences = back.Elements("conference", "storage:bookmarks").ToList();
        Assert.Equal(["council@conference.example", "lobby@conference.example"], conferences.Select(c => c.GetAttribute("jid")));
        Assert.Equal("alice", conferences[0].ChildText("nick", "storage:bookmarks"));
        Assert.Equal("true", conferences[0].GetAttribute("autojoin"));
        Assert.Single(back.Elements("url", "storage:bookmarks"));
    }
}

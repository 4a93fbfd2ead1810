using Converge.Core.Addressing;
using Converge.Xmpp.Push;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Tests.Support;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.Push;

/// <summary>Which room messages count as mentioning an occupant, and how its nick is learnt from the room.</summary>
public sealed class GroupChatMentionTests
{
    private static readonly Jid FromBob = Jid.Parse("lobby@conference.example/Bob");

    private static XmlElement Message(string inner) =>
        XmlFragment.Parse($"<message xmlns='jabber:client' type='groupchat' from='{FromBob}'>{inner}</message>", new XmlLimits())!;

    private static Stanza Parse(string xml) => TestStanza.Parse(xml);

    [Theory]
    [InlineData("<body>Alice, are you there?</body>", true)]
    [InlineData("<body>ping @alice</body>", true)]
    [InlineData("<body>ALICE</body>", true)]
    [InlineData("<body>nothing for her</body>", false)]
    [InlineData("<body>Aliceville is a town</body>", false)]
    [InlineData("<body>malice aforethought</body>", false)]
    [InlineData("<body>hey</body><reference xmlns='urn:xmpp:reference:0' type='mention' uri='xmpp:lobby@conference.example/Alice'/>", true)]
    [InlineData("<body>hey</body><reference xmlns='urn:xmpp:reference:0' type='mention' uri='xmpp:lobby@conference.example/Carol'/>", false)]
    public void The_nick_as_a_word_or_a_mention_reference_is_a_mention(string inner, bool expected) =>
        Assert.Equal(expected, GroupChatMention.Mentions(Message(inner), FromBob, "Alice"));

    [Fact]
    public void Ones_own_message_echoed_by_the_room_is_not_a_mention() =>
        Assert.False(GroupChatMention.Mentions(Message("<body>Bob here</body>"), FromBob, "Bob"));

    [Fact]
    public void The_nick_comes_from_the_rooms_self_presence_follows_a_nick_change_and_goes_on_leaving()
    {
        var nicks = new RoomNicks(new SessionRegistry(), 10);
        var session = Jid.Parse("alice@example/phone");
        var room = Jid.Parse("lobby@conference.example");

        // Someone else's presence, and a presence without 110, teach nothing.
        nicks.Observe(Parse("<presence xmlns='jabber:client' from='lobby@conference.example/Bob' to='alice@example/phone'><x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='none' role='participant'/></x></presence>"));
        Assert.Null(nicks.NickOf(session, room));

        nicks.Observe(Parse("<presence xmlns='jabber:client' from='lobby@conference.example/Alice' to='alice@example/phone'><x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='none' role='participant'/><status code='110'/></x></presence>"));
        Assert.Equal("Alice", nicks.NickOf(session, room));
        Assert.Null(nicks.NickOf(Jid.Parse("alice@example/desktop"), room));

        nicks.Observe(Parse("<presence xmlns='jabber:client' type='unavailable' from='lobby@conference.example/Alice' to='alice@example/phone'><x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='none' role='participant' nick='Ally'/><status code='303'/><status code='110'/></x></presence>"));
        Assert.Equal("Ally", nicks.NickOf(session, room));

        nicks.Observe(Parse("<presence xmlns='jabber:client' type='unavailable' from='lobby@conference.example/Ally' to='alice@example/phone'><x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='none' role='none'/><status code='110'/></x></presence>"));
        Assert.Null(nicks.NickOf(session, room));
    }

    [Fact]
    public void A_full_table_drops_the_entries_of_ended_sessions_to_learn_a_new_nick()
    {
        var nicks = new RoomNicks(new SessionRegistry(), 1);
        nicks.Observe(Parse("<presence xmlns='jabber:client' from='a@conference.example/Alice' to='alice@example/phone'><x xmlns='http://jabber.org/protocol/muc#user'><status code='110'/></x></presence>"));
        Assert.Equal(1, nicks.Count);

        // No session exists in this registry: the stale entry makes room for the new one.
        nicks.Observe(Parse("<presence xmlns='jabber:client' from='b@conference.example/Alice' to='alice@example/phone'><x xmlns='http://jabber.org/protocol/muc#user'><status code='110'/></x></presence>"));
        Assert.Equal(1, nicks.Count);
        Assert.Equal("Alice", nicks.NickOf(Jid.Parse("alice@example/phone"), Jid.Parse("b@conference.example")));
    }
}

using Converge.Core.Addressing;
using Converge.Core.GroupChat;
using Converge.Xmpp.GroupChat;
using Converge.Xmpp.Stanzas;
using Converge.Xmpp.Tests.Support;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Tests.GroupChat;

/// <summary>The room as a state machine: stanzas in, stanzas out, through a recording host.</summary>
public sealed class RoomTests
{
    private const string RoomJid = "lobby@conference.example";
    private const string Alice = "alice@example/phone";
    private const string Bob = "bob@example/laptop";
    private const string Carol = "carol@other.example/web";

    private readonly RecordingRoomHost _host = new();
    private readonly Room _room;

    public RoomTests() => _room = new Room(Jid.Parse(RoomJid), _host, new GroupChatSettings { HistorySize = 5, MaxOccupants = 10 });

    private static Stanza Parse(string xml) => TestStanza.Parse(xml);

    private Task Join(string from, string nick, string extra = "") =>
        _room.HandleAsync(Parse($"<presence xmlns='jabber:client' from='{from}' to='{RoomJid}/{nick}'><x xmlns='http://jabber.org/protocol/muc'>{extra}</x></presence>"));

    private Task Say(string from, string body) =>
        _room.HandleAsync(Parse($"<message xmlns='jabber:client' type='groupchat' from='{from}' to='{RoomJid}'><body>{body}</body></message>"));

    private Task Admin(string from, string item) =>
        _room.HandleAsync(Parse($"<iq xmlns='jabber:client' type='set' id='a1' from='{from}' to='{RoomJid}'><query xmlns='http://jabber.org/protocol/muc#admin'>{item}</query></iq>"));

    private async Task CreateInstantRoom()
    {
        await Join(Alice, "Alice");
        await _room.HandleAsync(Parse($"<iq xmlns='jabber:client' type='set' id='c1' from='{Alice}' to='{RoomJid}'><query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'/></query></iq>"));
        _host.Clear();
    }

    private static IEnumerable<string> Codes(XmlElement presence) =>
        presence.Element("x", MucNamespaces.User)?.Elements("status", MucNamespaces.User).Select(s => s.GetAttribute("code")!) ?? [];

    private static string? ErrorCondition(XmlElement stanza) =>
        stanza.GetAttribute("type") == "error" ? stanza.Element("error", stanza.Namespace)?.FirstElement()?.Name : null;

    [Fact]
    public async Task The_first_occupant_creates_a_locked_room_and_owns_it()
    {
        await Join(Alice, "Alice");
        var self = Assert.Single(_host.To(Alice), e => e.Name == "presence");
        Assert.Equal(["110", "170", "201"], Codes(self).Order());
        Assert.Equal(MucAffiliation.Owner, _room.AffiliationOf(Jid.Parse(Alice)));
        Assert.True(_room.Locked);

        _host.Clear();
        await Join(Bob, "Bob");
        Assert.Equal("item-not-found", ErrorCondition(Assert.Single(_host.To(Bob))));
    }

    [Fact]
    public async Task A_message_reaches_every_occupant_once_from_the_senders_nick()
    {
        await CreateInstantRoom();
        await Join(Bob, "Bob");
        await Join(Carol, "Carol");
        _host.Clear();

        await Say(Bob, "hi all");

        foreach (var occupant in new[] { Alice, Bob, Carol })
        {
            var message = Assert.Single(_host.To(occupant));
            Assert.Equal(RoomJid + "/Bob", message.GetAttribute("from"));
            Assert.Equal("archived-1", message.Element("stanza-id", "urn:xmpp:sid:0")!.GetAttribute("id"));
        }
    }

    [Fact]
    public async Task A_non_occupant_cannot_speak_and_nobody_hears_it()
    {
        await CreateInstantRoom();
        await Say(Bob, "let me in");
        Assert.Equal("not-acceptable", ErrorCondition(Assert.Single(_host.Sent)));
    }

    [Fact]
    public async Task A_taken_nick_is_a_conflict_and_changes_nothing()
    {
        await CreateInstantRoom();
        await Join(Bob, "Alice");
        Assert.Equal("conflict", ErrorCondition(Assert.Single(_host.Sent)));
        Assert.Equal(1, _room.OccupantCount);
    }

    [Fact]
    public async Task A_ban_removes_the_occupant_with_301_and_keeps_them_out()
    {
        await CreateInstantRoom();
        await Join(Bob, "Bob");
        _host.Clear();

        await Admin(Alice, "<item affiliation='outcast' jid='bob@example'/>");

        var gone = Assert.Single(_host.To(Bob), e => e.Name == "presence");
        Assert.Equal("unavailable", gone.GetAttribute("type"));
        Assert.Equal(["110", "301"], Codes(gone).Order());
        _host.Clear();
        await Join(Bob, "Bobby");
        Assert.Equal("forbidden", ErrorCondition(Assert.Single(_host.Sent)));
    }

    [Fact]
    public async Task A_participant_cannot_kick_and_a_moderator_cannot_kick_the_owner()
    {
        await CreateInstantRoom();
        await Join(Bob, "Bob");
        await Join(Carol, "Carol");
        _host.Clear();

        await Admin(Bob, "<item role='none' nick='Carol'/>");
        Assert.Equal("not-allowed", ErrorCondition(Assert.Single(_host.To(Bob))));
        Assert.Equal(3, _room.OccupantCount);

        await Admin(Alice, "<item affiliation='admin' jid='bob@example'/>");
        _host.Clear();
        await Admin(Bob, "<item role='none' nick='Alice'/>");
        Assert.Equal("not-allowed", ErrorCondition(Assert.Single(_host.To(Bob))));
    }

    [Fact]
    public async Task The_last_owner_cannot_step_down()
    {
        await CreateInstantRoom();
        await Admin(Alice, "<item affiliation='member' jid='alice@example'/>");
        Assert.Equal("conflict", ErrorCondition(Assert.Single(_host.Sent)));
        Assert.Equal(MucAffiliation.Owner, _room.AffiliationOf(Jid.Parse(Alice)));
    }

    [Fact]
    public async Task History_on_join_honours_maxstanzas_and_is_stamped_by_the_room()
    {
        await CreateInstantRoom();
        for (var i = 0; i < 7; i++)
        {
            await Say(Alice, "m" + i);
        }

        _host.Clear();
        await Join(Bob, "Bob", "<history maxstanzas='3'/>");
        var history = _host.To(Bob).Where(e => e.Name == "message" && e.Element("body", "jabber:client") is not null).ToList();
        Assert.Equal(["m4", "m5", "m6"], history.Select(m => m.ChildText("body", "jabber:client")));
        Assert.All(history, m => Assert.Equal(RoomJid, m.Element("delay", "urn:xmpp:delay")!.GetAttribute("from")));
        Assert.NotNull(_host.To(Bob).Last().Element("subject", "jabber:client")); // the subject ends the join
    }

    [Fact]
    public async Task Real_jids_are_shown_to_moderators_only_in_a_semi_anonymous_room()
    {
        await CreateInstantRoom();
        await Join(Bob, "Bob");
        _host.Clear();
        await Join(Carol, "Carol");

        static string? JidIn(XmlElement p) => p.Element("x", MucNamespaces.User)!.Element("item", MucNamespaces.User)!.GetAttribute("jid");
        Assert.Equal(Carol, JidIn(Assert.Single(_host.To(Alice))));
        Assert.Null(JidIn(Assert.Single(_host.To(Bob))));
    }

    [Fact]
    public async Task A_temporary_room_is_destroyed_when_the_last_occupant_leaves_but_a_persistent_one_is_saved_and_stays()
    {
        await CreateInstantRoom();
        await _room.HandleAsync(Parse($"<presence xmlns='jabber:client' type='unavailable' from='{Alice}' to='{RoomJid}/Alice'/>"));
        Assert.True(_host.WasDestroyed);

        var host = new RecordingRoomHost();
        var room = new Room(Jid.Parse("keep@conference.example"), host, new GroupChatSettings());
        await room.HandleAsync(Parse($"<presence xmlns='jabber:client' from='{Alice}' to='keep@conference.example/A'><x xmlns='http://jabber.org/protocol/muc'/></presence>"));
        await room.HandleAsync(Parse($"<iq xmlns='jabber:client' type='set' id='c' from='{Alice}' to='keep@conference.example'><query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'><field var='muc#roomconfig_persistentroom'><value>1</value></field></x></query></iq>"));
        await room.HandleAsync(Parse($"<presence xmlns='jabber:client' type='unavailable' from='{Alice}' to='keep@conference.example/A'/>"));
        Assert.False(host.WasDestroyed);
        Assert.True(Assert.Single(host.Saved).Configuration.Persistent);
    }

    [Fact]
    public async Task A_destroyed_room_tells_its_occupants_the_alternate_venue()
    {
        await CreateInstantRoom();
        await Join(Bob, "Bob");
        _host.Clear();
        await _room.HandleAsync(Parse($"<iq xmlns='jabber:client' type='set' id='d' from='{Alice}' to='{RoomJid}'><query xmlns='http://jabber.org/protocol/muc#owner'><destroy jid='new@conference.example'><reason>moved</reason></destroy></query></iq>"));

        var gone = Assert.Single(_host.To(Bob));
        Assert.Equal("new@conference.example", gone.Element("x", MucNamespaces.User)!.Element("destroy", MucNamespaces.User)!.GetAttribute("jid"));
        Assert.True(_host.WasDestroyed);
        Assert.True(_host.Forgotten);
    }

    [Fact]
    public async Task Only_an_owner_gets_the_configuration_form()
    {
        await CreateInstantRoom();
        await Join(Bob, "Bob");
        _host.Clear();
        await _room.HandleAsync(Parse($"<iq xmlns='jabber:client' type='get' id='g' from='{Bob}' to='{RoomJid}'><query xmlns='http://jabber.org/protocol/muc#owner'/></iq>"));
        Assert.Equal("forbidden", ErrorCondition(Assert.Single(_host.Sent)));
    }
    private const string AlicePc = "alice@example/pc";

    private Task Leave(string from, string nick) =>
        _room.HandleAsync(Parse($"<presence xmlns='jabber:client' type='unavailable' from='{from}' to='{RoomJid}/{nick}'/>"));

    [Fact]
    public async Task A_second_session_with_the_same_nick_shares_the_occupant_and_the_others_see_no_new_arrival()
    {
        await CreateInstantRoom();
        await Join(Bob, "Bob");
        _host.Clear();

        await Join(AlicePc, "Alice");

        Assert.Equal(2, _room.OccupantCount);
        Assert.Empty(_host.To(Bob));
        Assert.Empty(_host.To(Alice));
        var toPc = _host.To(AlicePc).Where(e => e.Name == "presence").ToList();
        Assert.Contains(toPc, p => p.GetAttribute("from") == RoomJid + "/Bob");
        var self = Assert.Single(toPc, p => p.GetAttribute("from") == RoomJid + "/Alice");
        Assert.Contains("110", Codes(self));
        Assert.Contains(_host.To(AlicePc), m => m.Name == "message" && m.Element("subject", "jabber:client") is not null);
    }

    [Fact]
    public async Task Room_and_private_messages_to_a_multi_session_occupant_reach_every_session_once()
    {
        await CreateInstantRoom();
        await Join(AlicePc, "Alice");
        await Join(Bob, "Bob");
        _host.Clear();

        await Say(Bob, "hi both");
        await _room.HandleAsync(Parse($"<message xmlns='jabber:client' type='chat' from='{Bob}' to='{RoomJid}/Alice'><body>psst</body></message>"));

        foreach (var session in new[] { Alice, AlicePc })
        {
            Assert.Single(_host.To(session), m => m.GetAttribute("type") == "groupchat" && m.ChildText("body", "jabber:client") == "hi both");
            Assert.Single(_host.To(session), m => m.GetAttribute("type") == "chat" && m.ChildText("body", "jabber:client") == "psst");
        }

        Assert.Single(_host.To(Bob), m => m.ChildText("body", "jabber:client") == "hi both");
    }

    [Fact]
    public async Task Only_the_last_session_leaving_is_broadcast()
    {
        await CreateInstantRoom();
        await Join(AlicePc, "Alice");
        await Join(Bob, "Bob");
        _host.Clear();

        await Leave(Alice, "Alice");

        var gone = Assert.Single(_host.To(Alice));
        Assert.Equal("unavailable", gone.GetAttribute("type"));
        Assert.Contains("110", Codes(gone));
        Assert.Empty(_host.To(Bob));
        Assert.Empty(_host.To(AlicePc));
        Assert.Equal(2, _room.OccupantCount);

        _host.Clear();
        await Say(Bob, "still there?");
        Assert.Empty(_host.To(Alice));
        Assert.Single(_host.To(AlicePc));

        _host.Clear();
        await Leave(AlicePc, "Alice");
        var seen = Assert.Single(_host.To(Bob));
        Assert.Equal("unavailable", seen.GetAttribute("type"));
        Assert.Equal(RoomJid + "/Alice", seen.GetAttribute("from"));
        Assert.Equal(1, _room.OccupantCount);
    }

    [Fact]
    public async Task A_kick_removes_every_session_of_the_occupant()
    {
        await CreateInstantRoom();
        await Join(Bob, "Bob");
        await Join("bob@example/phone", "Bob");
        _host.Clear();

        await Admin(Alice, "<item nick='Bob' role='none'/>");

        foreach (var session in new[] { Bob, "bob@example/phone" })
        {
            var gone = Assert.Single(_host.To(session), e => e.Name == "presence");
            Assert.Contains("307", Codes(gone));
        }

        _host.Clear();
        await Say("bob@example/phone", "am I in?");
        Assert.Equal("not-acceptable", ErrorCondition(Assert.Single(_host.Sent)));
    }

    [Fact]
    public async Task Sessions_beyond_the_limit_get_conflict()
    {
        var host = new RecordingRoomHost();
        var room = new Room(Jid.Parse(RoomJid), host, new GroupChatSettings { MaxSessionsPerNick = 1 });
        await room.HandleAsync(Parse($"<presence xmlns='jabber:client' from='{Alice}' to='{RoomJid}/Alice'><x xmlns='http://jabber.org/protocol/muc'/></presence>"));
        await room.HandleAsync(Parse($"<iq xmlns='jabber:client' type='set' id='c1' from='{Alice}' to='{RoomJid}'><query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'/></query></iq>"));
        host.Clear();

        await room.HandleAsync(Parse($"<presence xmlns='jabber:client' from='{AlicePc}' to='{RoomJid}/Alice'><x xmlns='http://jabber.org/protocol/muc'/></presence>"));

        Assert.Equal("conflict", ErrorCondition(Assert.Single(host.Sent)));
    }
    [Fact]
    public async Task A_shutdown_tells_every_session_332_and_empties_the_room_without_destroying_it()
    {
        await CreateInstantRoom();
        await Join(AlicePc, "Alice");
        await Join(Bob, "Bob");
        _host.Clear();

        _room.ShutDown();

        foreach (var session in new[] { Alice, AlicePc, Bob })
        {
            var gone = Assert.Single(_host.To(session));
            Assert.Equal("unavailable", gone.GetAttribute("type"));
            Assert.Equal(["110", "332"], Codes(gone).Order());
        }

        Assert.Equal(0, _room.OccupantCount);
        Assert.False(_room.IsDestroyed);
        Assert.False(_host.Forgotten);
    }
}

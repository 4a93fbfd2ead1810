"""Group chat (XEP-0045) driven by real slixmpp clients: alice owns the rooms, bob and carol take part,
dave is the outsider who gets refused, kicked and banned.

Usage: muc_rooms.py --port P --alice alice:secret --bob bob:secret --carol carol:secret --dave dave:secret
"""

import asyncio

from slixmpp.exceptions import IqError, PresenceError
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath, StanzaPath

from peer import Mailbox, Peer, bare, credentials, expect, log, parse_args, run_scenario, STEP_TIMEOUT

SERVICE = "conference.localhost"
# Invitations arrive as normal messages; matched by their XML because slixmpp 1.8 drops the
# groupchat_invite event for a room the client once tried to join and never fires groupchat_decline.
INVITE = "{http://jabber.org/protocol/muc#user}x/{http://jabber.org/protocol/muc#user}invite"
DECLINE = "{http://jabber.org/protocol/muc#user}x/{http://jabber.org/protocol/muc#user}decline"


class Occupant(Peer):
    """A Peer with the MUC plugins and a mailbox of what rooms send it."""

    def __init__(self, *args):
        super().__init__(*args)
        for plugin in ("xep_0004", "xep_0045", "xep_0249", "xep_0313", "xep_0359"):
            self.xmpp.register_plugin(plugin)
        # slixmpp 1.8.3's decline handler raises (self.room for self.rooms) and takes the stanza down with it.
        self.xmpp.remove_handler("MUCDecline")
        # slixmpp's 'message' event needs a <body/>; a decline (XEP-0045 §7.8.2) has none.
        self.xmpp.register_handler(Callback("Declines", StanzaPath("message/muc/decline"), self.messages.put))
        self.xmpp.register_handler(Callback("DirectInvites", MatchXPath("{jabber:client}message/{jabber:x:conference}x"), self.messages.put))
        self.group = Mailbox()
        # slixmpp stops firing 'presence' for a room once it knows it; its MUC plugin fires this instead.
        self.xmpp.add_event_handler("groupchat_presence", self.presences.put)
        self.xmpp.add_event_handler("groupchat_message", self.group.put)
        self.xmpp.add_event_handler("groupchat_subject", self.group.put)
        self.xmpp.add_event_handler("groupchat_message_error", self.errors.put)

    @property
    def muc(self):
        return self.xmpp["xep_0045"]

    async def join(self, room, nick, **options):
        """Joins; returns (self-presence, subject message, history) or raises PresenceError."""
        pres, subject, _occupants, history = await self.muc.join_muc_wait(room, nick, timeout=STEP_TIMEOUT, **options)
        return pres, subject, history

    async def join_error(self, room, nick, **options):
        try:
            await self.join(room, nick, **options)
        except PresenceError as error:
            return error.presence["error"]["condition"]
        raise AssertionError(f"{self.name} joined {room} as {nick} but should have been refused")

    async def iq_error(self, coroutine):
        try:
            await coroutine
        except IqError as error:
            return error.iq["error"]["condition"]
        return "none"


def codes(presence):
    return sorted(int(c) for c in presence["muc"]["status_codes"])


def from_room(room, nick=None):
    return f"{room}/{nick}" if nick else room


async def create_room(owner, room, nick, **fields):
    """Creates a room (201, locked) and configures it: instant when no field is given, reserved otherwise."""
    pres, _subject, _history = await owner.join(room, nick)
    expect(201 in codes(pres) and 110 in codes(pres), f"creating {room}: self-presence codes {codes(pres)}, expected 110 and 201")
    form = await owner.muc.get_room_config(room)
    submit = owner.xmpp["xep_0004"].make_form(ftype="submit")
    submit.add_field(var="FORM_TYPE", ftype="hidden", value="http://jabber.org/protocol/muc#roomconfig")
    for name, value in fields.items():
        submit.add_field(var=f"muc#roomconfig_{name}", value=value)
    names = [f.get("var") for f in form.xml.findall("{jabber:x:data}field")]
    expect("muc#roomconfig_membersonly" in names, f"the configuration form has no muc#roomconfig_membersonly field: {names} {form}")
    await owner.muc.set_room_config(room, submit)
    log(f"CREATED {room} codes={codes(pres)} fields={sorted(fields)}")


async def scenario():
    args = parse_args(["alice", "bob", "carol", "dave"])
    peers = {}
    for name in ("alice", "bob", "carol", "dave"):
        jid, password = credentials(args, name)
        peers[name] = Occupant(name, jid, password, args.host, args.port)
        await peers[name].login()
    alice, bob, carol, dave = (peers[n] for n in ("alice", "bob", "carol", "dave"))
    lobby = f"lobby@{SERVICE}"

    # --- a room, three occupants, one message each exactly once --------------------------------
    await create_room(alice, lobby, "Alice", roomname="Lobby", changesubject="0")
    for peer, nick in ((bob, "Bob"), (carol, "Carol")):
        pres, subject, _ = await peer.join(lobby, nick)
        expect(codes(pres) == [110, 170], f"{peer.name}'s self-presence codes {codes(pres)}")
        expect(subject["subject"] == "", f"{peer.name} saw subject {subject['subject']!r}")
    await alice.next_presence("Carol's arrival", lambda p: str(p["from"]) == from_room(lobby, "Carol"))
    log("JOINED alice bob carol")

    alice.xmpp.send_message(mto=lobby, mbody="hello everyone", mtype="groupchat")
    alice.xmpp.send_message(mto=lobby, mbody="end of greeting", mtype="groupchat")
    for peer in (alice, bob, carol):
        await peer.group.take(lambda m: m["body"] == "end of greeting", f"{peer.name}: the closing message")
        hellos = 0
        while peer.group.find(lambda m: m["body"] == "hello everyone") is not None:
            hellos += 1
        expect(hellos == 1, f"{peer.name} got the greeting {hellos} times")
    log("BROADCAST every occupant received the room message exactly once")

    # --- nick conflict ------------------------------------------------------------------------
    condition = await dave.join_error(lobby, "Bob")
    expect(condition == "conflict", f"dave taking Bob's nick got {condition}")
    await dave.join(lobby, "Dave")
    log(f"NICK-CONFLICT dave as Bob: {condition}; as Dave: joined")

    # --- subject: the owner may, a participant may not ---------------------------------------
    alice.muc.set_subject(lobby, "Plans for Friday")
    for peer in (bob, carol, dave):
        msg = await peer.group.take(lambda m: m["subject"] == "Plans for Friday", f"{peer.name}: the new subject")
        expect(str(msg["from"]) == from_room(lobby, "Alice"), f"subject came from {msg['from']}")
    bob.muc.set_subject(lobby, "bob was here")
    error = await bob.errors.take(lambda m: bare(m["from"]) == lobby, "bob's subject refusal")
    expect(error["error"]["condition"] == "forbidden", f"bob's subject change got {error['error']['condition']}")
    log("SUBJECT owner changed it; participant refused: forbidden")

    # --- private message between occupants --------------------------------------------------
    bob.xmpp.send_message(mto=from_room(lobby, "Carol"), mbody="psst, carol", mtype="chat")
    pm = await carol.next_message("bob's private message", lambda m: m["body"] == "psst, carol")
    expect(str(pm["from"]) == from_room(lobby, "Bob"), f"the private message came from {pm['from']}")
    log(f"PRIVATE carol got bob's message from {pm['from']}")

    # --- forged ids are dropped: nobody speaks as the room or as another occupant ---------------
    forged = bob.xmpp.make_message(mto=lobby, mbody="forged ids", mtype="groupchat")
    forged.xml.append(_element("{urn:xmpp:sid:0}stanza-id", by=lobby, id="forged-id"))
    forged.xml.append(_element("{urn:xmpp:occupant-id:0}occupant-id", id="alice-id"))
    forged.send()
    got = await carol.group.take(lambda m: m["body"] == "forged ids", "carol: bob's message with forged ids")
    ids = [e.get("id") for e in got.xml.findall("{urn:xmpp:sid:0}stanza-id") if e.get("by") == lobby]
    occupant_ids = [e.get("id") for e in got.xml.findall("{urn:xmpp:occupant-id:0}occupant-id")]
    expect(str(got["from"]) == from_room(lobby, "Bob"), f"bob's message arrived from {got['from']}")
    expect("forged-id" not in ids and len(ids) == 1, f"room stanza-ids {ids}")
    expect(len(occupant_ids) == 1 and occupant_ids[0] != "alice-id", f"occupant-ids {occupant_ids}")
    log("SPOOF forged stanza-id and occupant-id replaced by the room's")

    # --- kick (307) then ban (301): the outcast stays out -----------------------------------
    await alice.muc.set_role(lobby, "Dave", "none", reason="behave")
    kicked = await dave.next_presence("dave's kick", lambda p: str(p["from"]) == from_room(lobby, "Dave") and p["type"] == "unavailable")
    expect(codes(kicked) == [110, 307], f"dave's kick codes {codes(kicked)}")
    seen = await bob.next_presence("dave leaving", lambda p: str(p["from"]) == from_room(lobby, "Dave") and p["type"] == "unavailable")
    expect(codes(seen) == [307], f"bob saw dave leave with {codes(seen)}")
    await dave.join(lobby, "Dave")
    log("KICK dave removed with 307 and may come back")

    await alice.muc.set_affiliation(lobby, "outcast", jid=dave.jid.bare, reason="enough")
    banned = await dave.next_presence("dave's ban", lambda p: str(p["from"]) == from_room(lobby, "Dave") and p["type"] == "unavailable" and 301 in codes(p))
    expect(codes(banned) == [110, 301], f"dave's ban codes {codes(banned)}")
    condition = await dave.join_error(lobby, "Dave2")
    expect(condition == "forbidden", f"the outcast rejoining got {condition}")
    dave.xmpp.send_message(mto=lobby, mbody="let me in", mtype="groupchat")
    error = await dave.errors.take(lambda m: bare(m["from"]) == lobby, "dave's refused message")
    expect(error["error"]["condition"] == "not-acceptable", f"the outcast's message got {error['error']['condition']}")
    dave.xmpp.send_message(mto=from_room(lobby, "Carol"), mbody="psst from outside", mtype="chat")
    error = await dave.errors.take(lambda m: str(m["from"]) == from_room(lobby, "Carol"), "dave's refused private message")
    expect(error["error"]["condition"] == "not-acceptable", f"the outcast's private message got {error['error']['condition']}")
    outcasts = await alice.muc.get_affiliation_list(lobby, "outcast")
    expect([str(j) for j in outcasts] == [str(dave.jid.bare)], f"outcast list {outcasts}")
    log(f"BAN dave: rejoin {condition}, message not-acceptable, outcast list {[str(j) for j in outcasts]}")

    # --- a visitor has no voice --------------------------------------------------------------
    await alice.muc.set_role(lobby, "Bob", "visitor")
    await bob.next_presence("bob's voice revoked", lambda p: str(p["from"]) == from_room(lobby, "Bob") and p["muc"]["role"] == "visitor")
    bob.xmpp.send_message(mto=lobby, mbody="can anyone hear me", mtype="groupchat")
    error = await bob.errors.take(lambda m: bare(m["from"]) == lobby, "the visitor's refused message")
    expect(error["error"]["condition"] == "forbidden", f"the visitor's message got {error['error']['condition']}")
    condition = await bob.iq_error(bob.muc.set_role(lobby, "Carol", "none"))
    expect(condition == "not-allowed", f"the visitor kicking got {condition}")
    await alice.muc.set_role(lobby, "Bob", "participant")
    log("VISITOR message forbidden, kick not-allowed")

    # --- history on join ---------------------------------------------------------------------
    for i in range(3):
        alice.xmpp.send_message(mto=lobby, mbody=f"history {i}", mtype="groupchat")
    await bob.group.take(lambda m: m["body"] == "history 2", "bob: the last history message live")
    carol.muc.leave_muc(lobby, "Carol")
    await bob.next_presence("carol leaving", lambda p: str(p["from"]) == from_room(lobby, "Carol") and p["type"] == "unavailable")
    _pres, _subject, history = await carol.join(lobby, "Carol", maxstanzas=2)
    bodies = [m["body"] for m in history]
    expect(bodies == ["history 1", "history 2"], f"carol's history {bodies}")
    log(f"HISTORY maxstanzas=2 gave {bodies}")

    # --- members-only: a non-member is refused, a mediated invitation makes a member ------------
    club = f"club@{SERVICE}"
    await create_room(alice, club, "Alice", membersonly="1", persistentroom="0")
    condition = await carol.join_error(club, "Carol")
    expect(condition == "registration-required", f"the non-member got {condition}")
    alice.muc.invite(club, carol.jid.bare, reason="join us")
    invite = await carol.messages.take(lambda m: bare(m["from"]) == club and m.xml.find(INVITE) is not None, "carol's invitation")
    expect(bare(invite["muc"]["invite"]["from"]) == str(alice.jid.bare), f"invited by {invite['muc']['invite']['from']}")
    await carol.join(club, "Carol")
    log(f"MEMBERS-ONLY non-member {condition}; invited carol joined")

    # --- password: the wrong one refused, the right one lets in; a declined invitation ----------
    vault = f"vault@{SERVICE}"
    await create_room(alice, vault, "Alice", passwordprotectedroom="1", roomsecret="opensesame")
    condition = await bob.join_error(vault, "Bob", password="guess")
    expect(condition == "not-authorized", f"the wrong password got {condition}")
    await bob.join(vault, "Bob", password="opensesame")
    alice.muc.invite(vault, carol.jid.bare)
    await carol.messages.take(lambda m: bare(m["from"]) == vault and m.xml.find(INVITE) is not None, "carol's invitation to the vault")
    carol.muc.decline(vault, alice.jid.bare, reason="busy")
    decline = await alice.messages.take(lambda m: bare(m["from"]) == vault and m.xml.find(DECLINE) is not None, "carol's decline")
    expect(bare(decline["muc"]["decline"]["from"]) == str(carol.jid.bare), f"declined by {decline['muc']['decline']['from']}")
    log(f"PASSWORD wrong {condition}, right joined; DECLINE reached alice")

    # --- direct invitation (XEP-0249) passes through ----------------------------------------
    bob.xmpp["xep_0249"].send_invitation(carol.jid.bare, lobby, reason="come back")
    direct = await carol.messages.take(lambda m: m.xml.find("{jabber:x:conference}x") is not None, "carol's direct invitation")
    expect(direct.xml.find("{jabber:x:conference}x").get("jid") == lobby, "the direct invitation names another room")
    log("DIRECT-INVITE carol got bob's jabber:x:conference invitation")

    # --- destruction with an alternate venue -------------------------------------------------
    await alice.muc.destroy(vault, reason="moving", altroom=lobby)
    gone = await bob.next_presence("the vault's destruction", lambda p: bare(p["from"]) == vault and p["type"] == "unavailable")
    destroy = gone.xml.find("{http://jabber.org/protocol/muc#user}x/{http://jabber.org/protocol/muc#user}destroy")
    expect(destroy is not None and destroy.get("jid") == lobby, "the destruction names no alternate venue")
    pres, _s, _h = await bob.join(vault, "Bob")
    expect(201 in codes(pres), f"joining the destroyed room's name made no new room: {codes(pres)}")
    log(f"DESTROY vault: occupants told, alternate {destroy.get('jid')}; the name is free again")

    # --- self-ping (XEP-0410) -------------------------------------------------------------------
    await bob.iq(_ping(bob, from_room(lobby, "Bob")))
    condition = await dave.iq_error(_ping(dave, from_room(lobby, "Bob")).send(timeout=STEP_TIMEOUT))
    expect(condition == "not-acceptable", f"a non-occupant's self-ping got {condition}")
    log(f"SELF-PING joined: result; outsider: {condition}")

    for peer in peers.values():
        await peer.logout()


def _ping(peer, to):
    iq = peer.xmpp.make_iq_get(ito=to)
    iq.enable("ping")
    return iq


def _element(tag, **attributes):
    import xml.etree.ElementTree as ET
    element = ET.Element(tag)
    for key, value in attributes.items():
        element.set(key, value)
    return element


if __name__ == "__main__":
    run_scenario(scenario)

"""XEP-0045 multi-session nick with real slixmpp clients: bob is in the room from his pc and his phone under
one nick, alice (the owner) and carol see one occupant.

- bob's second session joins as Bob: it gets the room (its own presence with 110), the others see no arrival;
- carol cannot take the nick Bob (another account: conflict);
- a room message and a private message to Bob reach both of bob's sessions, each once;
- bob's pc leaves: only the pc hears it, the room still has Bob (his phone gets the next message, the pc not);
- bob's phone leaves: now alice sees Bob go.

A "barrier" is a room message sent after a step: the room handles stanzas one at a time and in order, so
whatever the step made the room send reached everyone before the barrier comes back.

Usage: muc_sessions.py --port P --alice alice:secret --bob bob:secret --carol carol:secret
"""

from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath

from muc_rooms import Occupant, codes, create_room, from_room
from peer import Mailbox, credentials, expect, log, parse_args, run_scenario

ROOM = "sessions@conference.localhost"


async def barrier(sender, name, *peers):
    """Sends a room message and waits until every one of peers got it back from the room."""
    sender.xmpp.send_message(mto=ROOM, mbody=name, mtype="groupchat")
    for peer in peers:
        await peer.group.take(lambda m, n=name: m["body"] == n, f"{peer.name}: the barrier {name!r}")


def presences_from(peer, nick):
    found = []
    while (p := peer.presences.find(lambda p: str(p["from"]) == from_room(ROOM, nick))) is not None:
        found.append(p)
    return found


def count(peer, body):
    found = 0
    while peer.group.find(lambda m: m["body"] == body) is not None:
        found += 1
    return found


async def scenario():
    args = parse_args(["alice", "bob", "carol"])
    alice_jid, alice_password = credentials(args, "alice")
    bob_jid, bob_password = credentials(args, "bob")
    carol_jid, carol_password = credentials(args, "carol")
    alice = Occupant("alice", alice_jid, alice_password, args.host, args.port)
    pc = Occupant("bob-pc", bob_jid + "/pc", bob_password, args.host, args.port)
    phone = Occupant("bob-phone", bob_jid + "/phone", bob_password, args.host, args.port)
    carol = Occupant("carol", carol_jid, carol_password, args.host, args.port)
    # slixmpp forgets a room on leave_muc and then fires no event for the room's answer: watch the XML.
    pc.room_presences = Mailbox()
    pc.xmpp.register_handler(Callback("RoomPresence", MatchXPath("{jabber:client}presence/{http://jabber.org/protocol/muc#user}x"), pc.room_presences.put))
    for peer in (alice, pc, phone, carol):
        await peer.login()

    await create_room(alice, ROOM, "Alice")
    await pc.join(ROOM, "Bob")
    await alice.next_presence("Bob's arrival", lambda p: str(p["from"]) == from_room(ROOM, "Bob") and p["type"] != "unavailable")

    # --- the second session shares the occupant -------------------------------------------------
    pres, subject, _history = await phone.join(ROOM, "Bob")
    expect(110 in codes(pres), f"bob's phone: self-presence codes {codes(pres)}")
    await phone.next_presence("Alice's presence on joining", lambda p: str(p["from"]) == from_room(ROOM, "Alice"))
    await barrier(alice, "after the phone joined", alice, pc, phone)
    again = presences_from(alice, "Bob")
    expect(again == [], f"alice saw {len(again)} more presences of Bob when his second session joined")
    log("SECOND-SESSION bob's phone joined as Bob (110); alice saw no new arrival")

    # --- another account cannot take the nick ---------------------------------------------------
    condition = await carol.join_error(ROOM, "Bob")
    expect(condition == "conflict", f"carol taking Bob got {condition}")
    await carol.join(ROOM, "Carol")
    log("CONFLICT carol as Bob: conflict")

    # --- what is for Bob reaches both sessions, once each ---------------------------------------
    carol.xmpp.send_message(mto=ROOM, mbody="hello Bob", mtype="groupchat")
    carol.xmpp.send_message(mto=from_room(ROOM, "Bob"), mbody="just for Bob", mtype="chat")
    await barrier(carol, "after hello", pc, phone)
    for session in (pc, phone):
        expect(count(session, "hello Bob") == 1, f"{session.name} did not get the room message exactly once")
        private = await session.next_message("carol's private message", lambda m: m["body"] == "just for Bob")
        expect(str(private["from"]) == from_room(ROOM, "Carol"), f"{session.name}: the private message came from {private['from']}")
    log("BOTH-SESSIONS the room message and carol's private message reached pc and phone once each")

    # --- the pc leaves: only the pc hears it ------------------------------------------------------
    pc.muc.leave_muc(ROOM, "Bob")
    gone = await pc.room_presences.take(lambda p: str(p["from"]) == from_room(ROOM, "Bob") and p["type"] == "unavailable", "bob-pc: its own leaving")
    expect(110 in codes(gone), f"the pc's unavailable presence has codes {codes(gone)}")
    presences_from(alice, "Bob")
    await barrier(carol, "is Bob still here", alice, carol, phone)
    seen = [p for p in presences_from(alice, "Bob") + presences_from(carol, "Bob") if p["type"] == "unavailable"]
    expect(seen == [], "alice or carol saw Bob leave while his phone is still in the room")
    expect(count(pc, "is Bob still here") == 0, "the pc still gets room messages after it left")
    log("ONE-LEFT the pc left; nobody else saw it; the phone still gets room messages, the pc not")

    # --- the last session leaves: now the room sees Bob go --------------------------------------
    phone.muc.leave_muc(ROOM, "Bob")
    await alice.next_presence("Bob leaving with his last session", lambda p: str(p["from"]) == from_room(ROOM, "Bob") and p["type"] == "unavailable")
    log("LAST-LEFT alice saw Bob leave with his last session")

    for peer in (alice, pc, phone, carol):
        await peer.logout()


if __name__ == "__main__":
    run_scenario(scenario)

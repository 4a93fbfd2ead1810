"""XEP-0045 status 332 with real slixmpp clients: the server stops gracefully while alice and bob are in a
persistent room; each gets its own unavailable presence from the room with 110 and 332 (not a kick, not a
destroy). After the restart the room is still there (joining it creates nothing: no 201) and both enter again.

--phase before: create the room, join, print JOINED, then wait for the server's stop (the test sends SIGTERM).
--phase after: log in again and rejoin.

Usage: muc_shutdown.py --port P --phase before|after --alice alice:secret --bob bob:secret
"""

from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath

from muc_rooms import Occupant, codes, create_room, from_room
from peer import Mailbox, credentials, expect, log, parse_args, run_scenario

ROOM = "restart@conference.localhost"
NICKS = {"alice": "Alice", "bob": "Bob"}
# Long enough for the test to see JOINED and stop the server on a loaded machine.
SHUTDOWN_TIMEOUT = 90.0


async def scenario():
    args = parse_args(["alice", "bob"], lambda p: p.add_argument("--phase", choices=["before", "after"], required=True))
    peers = {}
    for name in ("alice", "bob"):
        jid, password = credentials(args, name)
        peer = Occupant(name, jid, password, args.host, args.port)
        # Watched as XML: slixmpp's MUC plugin turns a room's unavailable presence into no event we can wait on.
        peer.room_presences = Mailbox()
        peer.xmpp.register_handler(Callback("RoomPresence", MatchXPath("{jabber:client}presence/{http://jabber.org/protocol/muc#user}x"), peer.room_presences.put))
        await peer.login()
        peers[name] = peer
    alice, bob = peers["alice"], peers["bob"]

    if args.phase == "before":
        await create_room(alice, ROOM, "Alice", roomname="Restart", persistentroom="1")
        await bob.join(ROOM, "Bob")
        await alice.room_presences.take(lambda p: str(p["from"]) == from_room(ROOM, "Bob"), "alice: bob's arrival")
        log("JOINED alice bob")
        for name, peer in peers.items():
            own = from_room(ROOM, NICKS[name])
            gone = await peer.room_presences.take(
                lambda p, own=own: str(p["from"]) == own and p["type"] == "unavailable", f"{name}: the room's shutdown notice", timeout=SHUTDOWN_TIMEOUT)
            expect(codes(gone) == [110, 332], f"{name}'s unavailable presence from the room has codes {codes(gone)}")
            expect(gone["muc"]["role"] == "none", f"{name}'s role in the shutdown notice is {gone['muc']['role']}")
            expect(gone.xml.find("{http://jabber.org/protocol/muc#user}x/{http://jabber.org/protocol/muc#user}destroy") is None,
                   f"{name}: the shutdown notice claims the room was destroyed")
        log("SHUTDOWN alice and bob each got their own unavailable presence with 110 and 332")
    else:
        for name, peer in peers.items():
            pres, _subject, _history = await peer.join(ROOM, NICKS[name])
            expect(201 not in codes(pres), f"{name} created the room anew after the restart: codes {codes(pres)}")
        await alice.room_presences.take(lambda p: str(p["from"]) == from_room(ROOM, "Bob") and p["type"] != "unavailable", "alice: bob back in the room")
        log("REJOINED the room survived the restart; alice and bob are back in it")
        for peer in peers.values():
            await peer.logout()


if __name__ == "__main__":
    run_scenario(scenario)

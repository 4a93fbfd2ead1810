"""A persistent room and its archive across a server restart (XEP-0045 persistent rooms, XEP-0313 on the room JID).

--phase before: alice creates a persistent members-only room, makes bob a member, sets the subject and says three things.
--phase after (the server was killed and started again): the room is still there, configured; bob enters and
sees the subject, carol is still refused, and the room's archive still holds the three messages.

Usage: muc_durable.py --port P --phase before|after --alice alice:secret --bob bob:secret --carol carol:secret
"""

from slixmpp import JID
from slixmpp.exceptions import PresenceError

from muc_rooms import Occupant, create_room
from peer import credentials, expect, log, parse_args, run_scenario, STEP_TIMEOUT

ROOM = "durable@conference.localhost"
SUBJECT = "Kept across restarts"
BODIES = ["first words", "second words", "third words"]


async def room_archive(peer):
    bodies = []
    async for page in peer.xmpp["xep_0313"].retrieve(jid=JID(ROOM), iterator=True, rsm={"max": 10}):
        for m in page["mam"]["results"]:
            stanza = m["mam_result"]["forwarded"]["stanza"]
            bodies.append((str(stanza["from"]), stanza["body"]))
    return bodies


async def scenario():
    args = parse_args(["alice", "bob", "carol"], lambda p: p.add_argument("--phase", choices=["before", "after"], required=True))
    peers = {}
    for name in ("alice", "bob", "carol"):
        jid, password = credentials(args, name)
        peers[name] = Occupant(name, jid, password, args.host, args.port)
        await peers[name].login()
    alice, bob, carol = peers["alice"], peers["bob"], peers["carol"]

    if args.phase == "before":
        await create_room(alice, ROOM, "Alice", roomname="Durable", persistentroom="1", membersonly="1")
        await alice.muc.set_affiliation(ROOM, "member", jid=bob.jid.bare)
        alice.muc.set_subject(ROOM, SUBJECT)
        for body in BODIES:
            alice.xmpp.send_message(mto=ROOM, mbody=body, mtype="groupchat")
        await alice.group.take(lambda m: m["body"] == BODIES[-1], "alice: her last message back from the room")
        archived = await room_archive(alice)
        expect([b for _f, b in archived] == BODIES, f"the room archive holds {archived}")
        log(f"BEFORE room archive {len(archived)} messages, bob is a member")
    else:
        info = await alice.xmpp["xep_0030"].get_info(jid=ROOM, timeout=STEP_TIMEOUT)
        features = set(info["disco_info"]["features"])
        expect({"muc_persistent", "muc_membersonly", "urn:xmpp:mam:2"} <= features, f"the restored room's features {sorted(features)}")
        _pres, subject, _history = await bob.join(ROOM, "Bob")
        expect(subject["subject"] == SUBJECT, f"after the restart the subject is {subject['subject']!r}")
        try:
            await carol.join(ROOM, "Carol")
            expect(False, "carol entered the members-only room after the restart")
        except PresenceError as error:
            condition = error.presence["error"]["condition"]
        expect(condition == "registration-required", f"carol got {condition}")
        archived = await room_archive(bob)
        expect(archived == [(f"{ROOM}/Alice", b) for b in BODIES], f"after the restart the room archive holds {archived}")
        members = await alice.muc.get_affiliation_list(ROOM, "member")
        expect([str(j) for j in members] == [str(bob.jid.bare)], f"member list {members}")
        log(f"AFTER room persistent members-only, subject {subject['subject']!r}, carol {condition}, archive {len(archived)} messages from Alice, members {[str(j) for j in members]}")

    for peer in peers.values():
        await peer.logout()


if __name__ == "__main__":
    run_scenario(scenario)

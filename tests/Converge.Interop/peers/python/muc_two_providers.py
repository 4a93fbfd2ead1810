"""Group chat across the interconnection: a.test and b.test agree on GroupChat, c.test's agreement with
a.test does not include it (c.test's own side would allow it, so a.test's policy is what refuses).

Usage: muc_two_providers.py --alice HOST:PORT:a.test:alice:PASSWORD --bob ...:b.test:bob:... --carol ...:c.test:carol:...
"""

import argparse
import logging
import sys

from muc_rooms import Occupant, codes, create_room
from peer import bare, expect, log, run_scenario


def account(name, text):
    host, port, domain, user, password = text.split(":", 4)
    return Occupant(name, f"{user}@{domain}", password, host, int(port))


async def exactly_once(peer, body, closing):
    await peer.group.take(lambda m: m["body"] == closing, f"{peer.name}: {closing!r}")
    count = 0
    while peer.group.find(lambda m: m["body"] == body) is not None:
        count += 1
    expect(count == 1, f"{peer.name} got {body!r} {count} times")


async def refused_join(peer, room, nick):
    """Sends a MUC join and returns the error condition the presence comes back with."""
    join = peer.xmpp.make_presence(pto=f"{room}/{nick}")
    join.enable("muc_join")
    join.send()
    error = await peer.presences.take(lambda p: bare(p["from"]) == room and p["type"] == "error", f"{peer.name}: the refusal of {room}")
    return error["error"]["condition"]


async def scenario():
    parser = argparse.ArgumentParser()
    for name in ("alice", "bob", "carol"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--debug", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.ERROR, stream=sys.stderr)
    alice, bob, carol = account("alice", args.alice), account("bob", args.bob), account("carol", args.carol)
    for peer in (alice, bob, carol):
        await peer.login()

    # The peer's user in our room.
    town = "town@conference.a.test"
    await create_room(alice, town, "Alice")
    pres, _subject, _history = await bob.join(town, "Bob")
    expect(110 in codes(pres), f"bob's self-presence in {town}: {codes(pres)}")
    await alice.next_presence("Bob in the town", lambda p: str(p["from"]) == f"{town}/Bob")
    bob.xmpp.send_message(mto=town, mbody="hello from b.test", mtype="groupchat")
    bob.xmpp.send_message(mto=town, mbody="bob done", mtype="groupchat")
    alice.xmpp.send_message(mto=town, mbody="hello from a.test", mtype="groupchat")
    alice.xmpp.send_message(mto=town, mbody="alice done", mtype="groupchat")
    for peer in (alice, bob):
        await exactly_once(peer, "hello from b.test", "bob done")
        await exactly_once(peer, "hello from a.test", "alice done")
    log("REMOTE-OCCUPANT bob@b.test joined town@conference.a.test; both messages reached both once")

    # Our user in the peer's room.
    harbour = "harbour@conference.b.test"
    await create_room(bob, harbour, "Bob")
    await alice.join(harbour, "Alice")
    alice.xmpp.send_message(mto=harbour, mbody="alice visiting", mtype="groupchat")
    await bob.group.take(lambda m: m["body"] == "alice visiting" and str(m["from"]) == f"{harbour}/Alice", "bob: alice's message in the harbour")
    bob.xmpp.send_message(mto=f"{harbour}/Alice", mbody="welcome, privately", mtype="chat")
    pm = await alice.next_message("bob's private message", lambda m: m["body"] == "welcome, privately")
    expect(str(pm["from"]) == f"{harbour}/Bob", f"the private message came from {pm['from']}")
    log("REMOTE-ROOM alice@a.test joined harbour@conference.b.test, spoke and got a private message")

    # Without GroupChat in a.test's agreement with c.test, nothing crosses either way.
    condition = await refused_join(carol, town, "Carol")
    expect(condition == "not-allowed", f"carol joining {town} got {condition}")
    village = "village@conference.c.test"
    await create_room(carol, village, "Carol")
    outbound = await refused_join(alice, village, "Alice")
    expect(outbound == "not-allowed", f"alice joining {village} got {outbound}")
    log(f"NO-GROUPCHAT carol@c.test into town: {condition}; alice into village@conference.c.test: {outbound}")

    for peer in (alice, bob, carol):
        await peer.logout()


if __name__ == "__main__":
    run_scenario(scenario)

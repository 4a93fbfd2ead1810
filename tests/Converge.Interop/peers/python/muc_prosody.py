"""Group chat between Converge and Prosody's mod_muc across the interconnection (GroupChat granted):
a Converge user creates a room on Converge that a Prosody user joins, and joins a room a Prosody user
created on Prosody's MUC; messages reach every occupant once, private messages cross.

Usage: muc_prosody.py --alice HOST:PORT:converge.test:alice:PW --pat HOST:PORT:prosody.test:pat:PW
"""

import argparse
import logging
import sys

from muc_rooms import codes, create_room
from muc_two_providers import account, exactly_once
from peer import expect, log, run_scenario


async def scenario():
    parser = argparse.ArgumentParser()
    parser.add_argument("--alice", required=True)
    parser.add_argument("--pat", required=True)
    parser.add_argument("--debug", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.ERROR, stream=sys.stderr)
    alice, pat = account("alice", args.alice), account("pat", args.pat)
    converge_domain = alice.xmpp.boundjid.domain
    prosody_domain = pat.xmpp.boundjid.domain
    for peer in (alice, pat):
        await peer.login()

    # Prosody's user in a Converge room.
    town = f"town@conference.{converge_domain}"
    await create_room(alice, town, "Alice")
    pres, _subject, _history = await pat.join(town, "Pat")
    expect(110 in codes(pres), f"pat's self-presence in {town}: {codes(pres)}")
    await alice.next_presence("Pat in the town", lambda p: str(p["from"]) == f"{town}/Pat")
    pat.xmpp.send_message(mto=town, mbody="hello from prosody", mtype="groupchat")
    pat.xmpp.send_message(mto=town, mbody="pat done", mtype="groupchat")
    alice.xmpp.send_message(mto=town, mbody="hello from converge", mtype="groupchat")
    alice.xmpp.send_message(mto=town, mbody="alice done", mtype="groupchat")
    for peer in (alice, pat):
        await exactly_once(peer, "hello from prosody", "pat done")
        await exactly_once(peer, "hello from converge", "alice done")
    log(f"PROSODY-USER-IN-CONVERGE-ROOM pat@{prosody_domain} in {town}: both messages reached both once")

    # Converge's user in a room of Prosody's mod_muc.
    harbour = f"harbour@conference.{prosody_domain}"
    await create_room(pat, harbour, "Pat")
    pres, _subject, _history = await alice.join(harbour, "Alice")
    expect(110 in codes(pres), f"alice's self-presence in {harbour}: {codes(pres)}")
    alice.xmpp.send_message(mto=harbour, mbody="alice visiting", mtype="groupchat")
    await pat.group.take(lambda m: m["body"] == "alice visiting" and str(m["from"]) == f"{harbour}/Alice", "pat: alice's message in the harbour")
    await alice.group.take(lambda m: m["body"] == "alice visiting", "alice: her own message reflected by prosody")
    pat.xmpp.send_message(mto=f"{harbour}/Alice", mbody="welcome, privately", mtype="chat")
    pm = await alice.next_message("pat's private message", lambda m: m["body"] == "welcome, privately")
    expect(str(pm["from"]) == f"{harbour}/Pat", f"the private message came from {pm['from']}")
    log(f"CONVERGE-USER-IN-PROSODY-ROOM alice@{converge_domain} in {harbour}: spoke, was reflected, got a private message")

    for peer in (alice, pat):
        await peer.logout()


if __name__ == "__main__":
    run_scenario(scenario)

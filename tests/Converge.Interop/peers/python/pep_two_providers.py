"""PEP across the interconnection: alice@a.test is a contact of bob@b.test (agreement with Pep)
and of carol@c.test (agreement without Pep). Bob's client gets alice's mood event; carol's does
not, and carol's request for alice's items is refused at a.test.

Usage: pep_two_providers.py --alice HOST:PORT:DOMAIN:USER:PASSWORD --bob ... --carol ... [--debug]
"""

import argparse
import logging
import sys

from slixmpp.xmlstream import ET

from peer import bare, expect, log, run_scenario
from pep_contacts import INTERESTS, subscribe_mutually
from pep_peer import EVENT_NS, MOOD, PepPeer


def account(name, text, resource):
    host, port, domain, user, password = text.split(":", 4)
    return PepPeer(name, f"{user}@{domain}", password, host, int(port), INTERESTS, resource=resource)


async def scenario():
    parser = argparse.ArgumentParser()
    for role in ("alice", "bob", "carol"):
        parser.add_argument(f"--{role}", required=True)
    parser.add_argument("--debug", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.ERROR, stream=sys.stderr)

    alice = account("alice", args.alice, "desk")
    bob = account("bob", args.bob, "phone")
    carol = account("carol", args.carol, "laptop")
    for peer in (alice, bob, carol):
        await peer.login()
    alice_jid, bob_jid, carol_jid = (bare(p.jid) for p in (alice, bob, carol))

    await subscribe_mutually(alice, bob, alice_jid, bob_jid)
    await subscribe_mutually(alice, carol, alice_jid, carol_jid)
    # Each contact's presence (with its caps) crossed to a.test; its client answered a.test's disco#info.
    for contact, jid in ((bob, bob_jid), (carol, carol_jid)):
        await alice.next_presence(f"{contact.name} available", lambda p, jid=jid: bare(p["from"]) == jid and p["type"] in ("available", ""))

    await alice.xmpp["xep_0107"].publish_mood("amazed", timeout=30)
    items = await bob.next_event("alice's mood across the interconnection", MOOD, alice_jid)
    expect(items.find(f"{{{EVENT_NS}}}item/{{{MOOD}}}mood/{{{MOOD}}}amazed") is not None, f"bob's event {ET.tostring(items)}")
    log("EVENT bob@b.test mood=amazed")

    await carol.assert_no_event_before_chat(alice, "c.test (agreement without Pep)")
    condition, _ = await carol.iq_error(carol.xmpp["xep_0060"].get_items(alice_jid, MOOD, timeout=30))
    expect(condition == "not-allowed", f"carol's pubsub request: {condition}")
    log(f"ITEMS carol@c.test refused={condition}")

    for peer in (alice, bob, carol):
        await peer.logout()


if __name__ == "__main__":
    run_scenario(scenario)

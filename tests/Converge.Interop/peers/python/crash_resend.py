"""Deliver before the commit, acknowledge after it: a crash at any point loses nothing acknowledged, and
a resend is stored once.

Alice (slixmpp with xep_0198) sends a burst to bob, who is ONLINE, each message with an XEP-0359
origin-id. The driver kills the server (SIGKILL) mid-burst: by then bob has seen messages live whose
archive rows may not be committed yet, and the server has committed rows it has not yet acknowledged.
The driver restarts the server and says RESTARTED on stdin. Then alice, as a client whose
acknowledgements a crash swallowed, sends again - with the same origin-ids and ids - every message the
server had not acknowledged, waits for the acknowledgement of all of them, and both read their archives.

Prints ACKED-AT-LEAST N (the driver kills the server then), ACKED-BEFORE-DEATH k, LIVE-BEFORE-DEATH n,
RESENT r, and for each archive ARCHIVE <owner> count=<rows> distinct=<bodies> missing=<bodies absent>,
and BOB-SAW missing=<bodies bob never received>.

Usage: crash_resend.py --port SERVER --alice alice:secret --bob bob:secret --count N --announce-at K
"""

import asyncio
import xml.etree.ElementTree as ET

from slixmpp import JID

from durable_peer import command, peer_with, wait_for
from peer import bare, credentials, expect, log, parse_args, run_scenario

PREFIX = "resend "
PAGE = 250


def more_arguments(parser):
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--announce-at", type=int, required=True)


def body(i):
    return f"{PREFIX}{i:05}"


def send(alice, bob_jid, i):
    msg = alice.xmpp.make_message(mto=bob_jid, mbody=body(i), mtype="chat")
    msg["id"] = f"resend-{i}"
    msg.append(ET.fromstring(f"<origin-id xmlns='urn:xmpp:sid:0' id='origin-{i}'/>"))
    msg.send()


def watch_bob(bob, alice_jid, seen):
    def on_message(msg):
        if bare(msg["from"]) == alice_jid and msg["body"].startswith(PREFIX):
            seen.add(msg["body"])

    bob.xmpp.add_event_handler("message", on_message)


async def archived_bodies(peer, with_jid):
    bodies = []
    async for page in peer.xmpp["xep_0313"].retrieve(with_jid=JID(with_jid), iterator=True, rsm={"max": PAGE}):
        bodies.extend(m["mam_result"]["forwarded"]["stanza"]["body"] for m in page["mam"]["results"])
    return bodies


async def scenario():
    args = parse_args(["alice", "bob"], extra=more_arguments)
    alice_jid, alice_password = credentials(args, "alice")
    bob_jid, bob_password = credentials(args, "bob")
    everything = {body(i) for i in range(args.count)}
    bob_saw = set()

    # Before the crash.
    alice = peer_with("alice", alice_jid, alice_password, args.host, args.port, "xep_0198")
    bob = peer_with("bob", bob_jid, bob_password, args.host, args.port)
    watch_bob(bob, alice_jid, bob_saw)
    acked = []

    def on_acked(stanza):
        if stanza.name == "message" and stanza["body"].startswith(PREFIX):
            acked.append(stanza["body"])
            if len(acked) == args.announce_at:
                log(f"ACKED-AT-LEAST {args.announce_at}")

    alice.xmpp.add_event_handler("stanza_acked", on_acked)
    await bob.login()
    await alice.login()
    for i in range(args.count):
        send(alice, bob_jid, i)
    alice.xmpp["xep_0198"].stanza.RequestAck(alice.xmpp).send()
    await wait_for(alice.disconnected, "the server to go away", timeout=60.0)
    expect(acked == [body(i) for i in range(len(acked))], "acks did not cover the messages in the order sent")
    log(f"ACKED-BEFORE-DEATH {len(acked)}")
    log(f"LIVE-BEFORE-DEATH {len(bob_saw)}")

    await command("RESTARTED")

    # After the restart: new sessions; alice sends again what was not acknowledged.
    alice = peer_with("alice", alice_jid, alice_password, args.host, args.port, "xep_0198", "xep_0313")
    bob = peer_with("bob", bob_jid, bob_password, args.host, args.port, "xep_0313")
    watch_bob(bob, alice_jid, bob_saw)
    resends = args.count - len(acked)
    resends_acked = []
    all_resends_acked = asyncio.Event()

    def on_resend_acked(stanza):
        if stanza.name == "message" and stanza["body"].startswith(PREFIX):
            resends_acked.append(stanza["body"])
            if len(resends_acked) == resends:
                all_resends_acked.set()

    alice.xmpp.add_event_handler("stanza_acked", on_resend_acked)
    await bob.login()
    await alice.login()
    for i in range(len(acked), args.count):
        send(alice, bob_jid, i)
    log(f"RESENT {resends}")
    if resends > 0:
        # Queued behind the messages (request_ack() would jump the send queue).
        alice.xmpp["xep_0198"].stanza.RequestAck(alice.xmpp).send()
        await wait_for(all_resends_acked, f"the acknowledgement of all {resends} resent messages", timeout=180.0)

    for owner, peer, other in (("bob", bob, alice_jid), ("alice", alice, bob_jid)):
        bodies = await archived_bodies(peer, other)
        log(f"ARCHIVE {owner} count={len(bodies)} distinct={len(set(bodies))} missing={len(everything - set(bodies))}")
    log(f"BOB-SAW missing={len(everything - bob_saw)}")
    await alice.logout()
    await bob.logout()


if __name__ == "__main__":
    run_scenario(scenario)

"""Three slixmpp users on three nodes of one Converge cluster, then a node dies under a burst.

alice logs in to node 1 (--port), bob to node 2 (--bob-port, with stream management), carol to
node 3 (--carol-port). Each pair subscribes, sees the other's presence and converses in order.

Then alice (stream management) sends bob a burst. bob acknowledges (XEP-0198 <a h/>) the first
part, then stops answering <r/>: what node 2 writes to him from then on stays unacknowledged
there. Once alice's server has acknowledged some of the second part and bob has received some of
it, the script prints KILL-NODE-2 and carries on sending; the driver SIGKILLs node 2. bob's
connection dies; he connects to node 3 as any client would, tries to resume his node-2 session
there (XEP-0198), must get <failed> with item-not-found, and binds anew.

When the driver writes REDELIVERED (node 1 has redelivered what node 2 had not settled), alice
sends a marker, which reaches bob after every redelivered copy. Every message alice's server
acknowledged must have reached bob exactly once after de-duplication by stanza-id (what a client
does with a resent copy); the raw count of copies and where they came from are reported.

Usage: cluster_three_nodes.py --port P1 --bob-port P2 --carol-port P3 --alice a:s --bob b:s --carol c:s
"""

import asyncio
import uuid
import xml.etree.ElementTree as ET

from durable_peer import command, peer_with, server_round_trip, wait_for
from peer import Peer, bare, credentials, expect, log, parse_args, run_scenario
from two_users import available_from, chat_in_order, subscribe_mutually

PREFIX = "burst "
ACKED_PART = 60     # bob acknowledges these
BEFORE_KILL = 60    # sent (and acknowledged to alice) before the kill
AFTER_KILL = 60     # sent while node 2 dies
TOTAL = ACKED_PART + BEFORE_KILL + AFTER_KILL
SID = "urn:xmpp:sid:0"
SM = "urn:xmpp:sm:3"
DEATH_TIMEOUT = 45.0
PORT_NODE = {}


def more_arguments(parser):
    parser.add_argument("--bob-port", type=int, required=True)
    parser.add_argument("--carol-port", type=int, required=True)


async def scenario():
    args = parse_args(["alice", "bob", "carol"], extra=more_arguments)
    alice_jid, alice_password = credentials(args, "alice")
    bob_jid, bob_password = credentials(args, "bob")
    carol_jid, carol_password = credentials(args, "carol")

    alice = peer_with("alice", alice_jid, alice_password, args.host, args.port, "xep_0198")
    bob = peer_with("bob", bob_jid, bob_password, args.host, args.bob_port, "xep_0198")
    carol = Peer("carol", carol_jid, carol_password, args.host, args.carol_port)
    PORT_NODE.update({args.port: 1, args.bob_port: 2, args.carol_port: 3})
    await alice.login(status="alice on node 1")
    await bob.login(status="bob on node 2")
    await carol.login(status="carol on node 3")

    for (x, x_jid), (y, y_jid) in (((alice, alice_jid), (bob, bob_jid)),
                                   ((bob, bob_jid), (carol, carol_jid)),
                                   ((carol, carol_jid), (alice, alice_jid))):
        await subscribe_mutually(x, y, x_jid, y_jid)
        for seer, seen_jid, seen in ((x, y_jid, y), (y, x_jid, x)):
            presence = await seer.next_presence(f"{seen.name} available", available_from(seen_jid))
            expect(presence["status"] == f"{seen.name} on node {PORT_NODE[seen.port]}",
                   f"{seer.name} saw {seen.name}'s status {presence['status']!r}")
        await chat_in_order(x, y, x_jid, y_jid)
        log(f"PAIR {x.name} {y.name} subscribed, present, ordered")

    # --- the burst -------------------------------------------------------------------------------
    bob_sm = bob.xmpp["xep_0198"]
    alice_sm = alice.xmpp["xep_0198"]
    expect(bob_sm.sm_id, "bob: stream management was not enabled with resumption")
    node2_sm_id = bob_sm.sm_id

    copies = []            # (stanza-id, origin-id, body) for every copy bob's streams carried
    sources = {}           # how many copies arrived on which node, live or from offline storage
    received = asyncio.Event()
    def on_message(msg):
        body = msg["body"]
        if not body.startswith(PREFIX):
            return
        sid = next((e.get("id") for e in msg.xml.findall(f"{{{SID}}}stanza-id") if e.get("by") == bob_jid), None)
        oid = next((e.get("id") for e in msg.xml.findall(f"{{{SID}}}origin-id")), None)
        copies.append((sid, oid, body))
        delayed = msg.xml.find("{urn:xmpp:delay}delay") is not None
        origin = f"node{PORT_NODE.get(bob.xmpp.address[1], '?')}{'-offline' if delayed else ''}"
        sources[origin] = sources.get(origin, 0) + 1
        received.set()
    bob.xmpp.add_event_handler("message", on_message)

    acked = []
    def on_acked(stanza):
        if stanza.name == "message" and stanza["body"].startswith(PREFIX):
            acked.append(stanza["body"])
    alice.xmpp.add_event_handler("stanza_acked", on_acked)

    def send(i):
        msg = alice.xmpp.make_message(mto=bob_jid, mbody=f"{PREFIX}{i:03}", mtype="chat")
        ET.SubElement(msg.xml, f"{{{SID}}}origin-id", {"id": str(uuid.uuid4())})
        msg.send()

    async def until(condition, description, timeout=30.0):
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not condition():
            expect(loop.time() < deadline, f"timed out waiting for {description}")
            received.clear()
            alice_sm.stanza.RequestAck(alice.xmpp).send()
            try:
                await asyncio.wait_for(received.wait(), 0.5)
            except asyncio.TimeoutError:
                pass

    for i in range(ACKED_PART):
        send(i)
    await until(lambda: len({c[2] for c in copies}) >= ACKED_PART, "bob to receive the first part")
    await server_round_trip(bob)  # answered after bob's <a h/> for everything before: node 2 settled them
    log(f"ACKED-BY-BOB {bob_sm.handled}")

    # From now on bob receives but never acknowledges: everything node 2 writes stays unacknowledged there.
    bob_sm.send_ack = lambda: None
    for i in range(ACKED_PART, ACKED_PART + BEFORE_KILL):
        send(i)
    await until(lambda: len(acked) >= ACKED_PART + BEFORE_KILL // 2
                and len({c[2] for c in copies}) >= ACKED_PART + BEFORE_KILL // 2,
                "alice's acks and bob's copies of half the second part")
    log(f"BEFORE-KILL alice-acked={len(acked)} bob-got={len({c[2] for c in copies})}")

    # What a client does when its connection drops: connect again (here to node 3); xep_0198 tries to resume.
    failed = []
    rebound = asyncio.Event()
    bob.xmpp.add_event_handler("sm_failed", lambda stanza: failed.append(stanza))
    bob.xmpp.add_event_handler("session_resumed", lambda _e: failed.append(None))
    def on_session_start(_event):
        if bob.xmpp.address[1] == args.carol_port:
            bob.xmpp.send_presence(pstatus="bob back, on node 3")
            rebound.set()
    bob.xmpp.add_event_handler("session_start", on_session_start)
    bob.disconnected.clear()

    log("KILL-NODE-2")
    for i in range(ACKED_PART + BEFORE_KILL, TOTAL):
        send(i)
        await asyncio.sleep(0)  # interleave with the node's death rather than all queued at once
    await wait_for(bob.disconnected, "bob's connection to die with node 2", timeout=DEATH_TIMEOUT)
    bob.xmpp.connect(address=(args.host, args.carol_port), force_starttls=True)
    await wait_for(rebound, "bob to bind anew on node 3", timeout=DEATH_TIMEOUT)
    expect(len(failed) == 1 and failed[0] is not None, f"bob's resumption on node 3 was not refused: {failed!r}")
    condition = [c.tag.split("}")[1] for c in failed[0].xml if c.tag.startswith("{urn:ietf:params:xml:ns:xmpp-stanzas}")]
    expect(condition == ["item-not-found"], f"resumption failed with {condition!r}, expected item-not-found")
    expect(bob_sm.sm_id != node2_sm_id, "bob kept his node-2 session id")
    log(f"RESUME-REFUSED on node 3: {condition[0]}; bob bound anew as {bob.jid}")

    await until(lambda: len(acked) == TOTAL and not alice_sm.unacked_queue, "alice's acks for the whole burst", timeout=DEATH_TIMEOUT)
    log(f"ACKED alice {len(acked)}")
    await until(lambda: {c[2] for c in copies} >= set(acked), "every acknowledged message at bob", timeout=DEATH_TIMEOUT)

    # The driver says when node 1 has redelivered what node 2 had not settled. alice's marker then
    # takes the same way to bob (node 1 to node 3), behind every redelivered copy.
    await command("REDELIVERED")
    alice.send_message(bob_jid, "marker after the redelivery")
    await bob.next_message("alice's marker", lambda m: m["body"] == "marker after the redelivery")
    await server_round_trip(bob)

    # De-duplication as a client does it: one message per stanza-id.
    expect(all(c[0] for c in copies), "a copy without bob's stanza-id")
    by_id = {}
    for sid, oid, body in copies:
        by_id.setdefault(sid, set()).add((oid, body))
    expect(all(len(v) == 1 for v in by_id.values()), "two different messages under one stanza-id")
    bodies = [next(iter(v))[1] for v in by_id.values()]
    expect(len(bodies) == len(set(bodies)), "a message arrived twice under two different stanza-ids")
    expect(set(bodies) == set(acked), f"after de-duplication bob has {len(bodies)} messages, alice had {len(acked)} acknowledged")
    log("SOURCES " + " ".join(f"{k}={v}" for k, v in sorted(sources.items())))
    log(f"EXACTLY-ONCE {len(bodies)} acknowledged messages after de-duplication; raw copies={len(copies)} duplicates={len(copies) - len(bodies)}")

    await carol.logout()
    await alice.logout()
    bob.xmpp.disconnect(wait=2.0)


if __name__ == "__main__":
    run_scenario(scenario)

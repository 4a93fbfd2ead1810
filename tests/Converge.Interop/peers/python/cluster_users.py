"""Two slixmpp users on two nodes of one Converge cluster, then the death of one node.

alice logs in to node 1 (--port), bob to node 2 (--bob-port). They subscribe to each other, see
presence, converse in order (every stanza crosses nodes), ping each other's full JID (an IQ crosses
and its result comes back), and a bare-JID message picks bob's resource of highest priority even
when a lower one is on alice's own node. Then the script prints KILL-NODE-2 and waits: the test
SIGKILLs node 2; alice must see bob go unavailable, a message to bob's dead full JID must reach his
other resource (on node 1), and after that resource leaves, a message is kept offline and reaches
bob when he logs in again on node 1.

Usage: cluster_users.py --port P1 --bob-port P2 --alice alice:secret --bob bob:secret
"""

import asyncio

from peer import Peer, bare, expect, log, parse_args, credentials, run_scenario
from two_users import subscribe_mutually, see_each_other, chat_in_order

DEATH_TIMEOUT = 60.0


async def scenario():
    args = parse_args(["alice", "bob"], extra=lambda p: p.add_argument("--bob-port", type=int, required=True))
    alice_jid, alice_password = credentials(args, "alice")
    bob_jid, bob_password = credentials(args, "bob")

    alice = Peer("alice", alice_jid, alice_password, args.host, args.port)
    bob = Peer("bob", bob_jid, bob_password, args.host, args.bob_port)
    await alice.login(status="alice at her desk")
    await bob.login(status="bob on the train")

    await subscribe_mutually(alice, bob, alice_jid, bob_jid)
    await see_each_other(alice, bob, alice_jid, bob_jid)
    await chat_in_order(alice, bob, alice_jid, bob_jid)

    # An IQ to a full JID on the other node, and its result back.
    await alice.xmpp["xep_0199"].ping(jid=bob.jid, timeout=30)
    log("PING alice pinged bob's full JID on the other node")

    # A second resource of bob on alice's node, with a lower priority than his resource on node 2.
    bob_local = Peer("bob-local", bob_jid + "/local", bob_password, args.host, args.port)
    await bob_local.connect()
    bob_local.xmpp.send_presence(ppriority=0, pstatus="bob's second phone")
    bob.xmpp.send_presence(ppriority=5, pshow="away", pstatus="bob in a tunnel")
    await alice.next_presence(
        "bob's local resource available",
        lambda p: str(p["from"]) == bob_jid + "/local" and p["type"] != "unavailable")
    await alice.next_presence(
        "bob's priority 5",
        lambda p: str(p["from"]) == str(bob.jid) and p["priority"] == 5)
    alice.send_message(bob_jid, "to the highest priority")
    msg = await bob.next_message("the bare-JID message", lambda m: bare(m["from"]) == alice_jid)
    expect(msg["body"] == "to the highest priority", f"bob got {msg['body']!r}")
    # A roster round trip on bob-local's node after the message: had it gone there, it would be queued by now.
    await alice.roster()
    await bob_local.roster()
    stray = bob_local.messages.find(lambda m: bare(m["from"]) == alice_jid)
    expect(stray is None, f"the lower-priority local resource got {stray and stray['body']!r}")
    log("PRIORITY bare-JID message went to bob's priority-5 resource on the other node, not the priority-0 one on alice's")

    dead_full = str(bob.jid)
    log("KILL-NODE-2")
    gone = await alice.presences.take(
        lambda p: str(p["from"]) == dead_full and p["type"] == "unavailable",
        "bob's node-2 resource unavailable after the node died", timeout=DEATH_TIMEOUT)
    log(f"DEATH alice sees {gone['from'].resource} unavailable")

    # RFC 6121 8.5.3.2.1: the dead resource is gone; the message goes to bob's other resource.
    alice.send_message(dead_full, "to your dead resource")
    # The dead node may not have told node 1 yet that bob's client had the earlier message: node 1 then
    # redelivers it to bob's other resource (docs/cluster.md: at least once, same stanza-id). That copy
    # is allowed; any other message is not.
    msg = await bob_local.next_message(
        "the message to the dead full JID",
        lambda m: bare(m["from"]) == alice_jid and m["body"] != "to the highest priority")
    expect(msg["body"] == "to your dead resource", f"bob-local got {msg['body']!r}")
    log("FALLBACK message to the dead full JID reached bob's other resource")

    await bob_local.logout()
    await alice.next_presence(
        "bob-local unavailable", lambda p: str(p["from"]) == bob_jid + "/local" and p["type"] == "unavailable")
    alice.send_message(dead_full, "kept for you")
    await alice.roster()

    bob_again = Peer("bob-again", bob_jid, bob_password, args.host, args.port)
    await bob_again.login(status="bob is back")
    msg = await bob_again.next_message("the stored message", lambda m: bare(m["from"]) == alice_jid)
    expect(msg["body"] == "kept for you", f"bob got {msg['body']!r} instead of the stored message")
    log("OFFLINE bob got the message stored while no resource was online, on node 1")

    await bob_again.logout()
    await alice.logout()


if __name__ == "__main__":
    run_scenario(scenario)

"""A slixmpp client with XEP-0198 whose connection dies and which does not come back in time.

bob (slixmpp with xep_0198) connects through the driver's flaky link (--port); alice connects to
the server directly (--direct-port). After READY the driver stalls the link and writes BURST:
alice sends 20 messages to bob and prints SENT once the server has routed them. The driver cuts
the link; bob does not reconnect. Once the server's resumption window has passed, the driver
writes LOGIN-AGAIN: bob logs in afresh (new client, new session, directly) and prints every
message he gets as a GOT line, with whether it carries a delay stamp (offline storage).

Usage: sm_never_returns.py --port LINK --direct-port SERVER --alice alice:secret --bob bob:secret
"""

import asyncio

from durable_peer import add_direct_port, command, delayed, peer_with, server_round_trip, wait_for
from peer import Peer, credentials, expect, log, parse_args, run_scenario

COUNT = 20
PREFIX = "later "


async def scenario():
    args = parse_args(["alice", "bob"], extra=add_direct_port)
    alice_jid, alice_password = credentials(args, "alice")
    bob_jid, bob_password = credentials(args, "bob")

    bob = peer_with("bob", bob_jid, bob_password, args.host, args.port, "xep_0198")
    alice = Peer("alice", alice_jid, alice_password, args.host, args.direct_port)
    cut = asyncio.Event()
    early = []

    def on_first_message(msg):
        if msg["body"].startswith(PREFIX):
            early.append(msg["body"])
            log(f"EARLY {msg['body']}")

    def on_disconnected(_reason):
        cut.set()

    bob.xmpp.add_event_handler("message", on_first_message)
    bob.xmpp.add_event_handler("disconnected", on_disconnected)
    await bob.login()
    sm = bob.xmpp["xep_0198"]
    expect(sm.enabled_in and sm.sm_id, "bob: stream management was not enabled with resumption")
    log("SM bob enabled resumable=True")
    await alice.login()
    log("READY")

    await command("BURST")
    for i in range(COUNT):
        alice.send_message(bob_jid, f"{PREFIX}{i:02}")
    await server_round_trip(alice)
    log(f"SENT {COUNT}")

    await wait_for(cut, "the driver to cut bob's connection")
    log(f"CUT bob after {len(early)} messages; not reconnecting")

    await command("LOGIN-AGAIN")
    got = []
    all_in = asyncio.Event()

    def on_message(msg):
        if msg["body"].startswith(PREFIX):
            got.append(msg["body"])
            log(f"GOT {msg['body']} delayed={delayed(msg)}")
            if len(got) >= COUNT:
                all_in.set()

    again = peer_with("bob-again", bob_jid, bob_password, args.host, args.direct_port, "xep_0198")
    again.xmpp.add_event_handler("message", on_message)
    await again.login()
    await wait_for(all_in, f"the {COUNT} messages bob missed")
    await server_round_trip(again)
    log(f"DONE bob received={len(got)}")

    await again.logout()
    await alice.logout()


if __name__ == "__main__":
    run_scenario(scenario)

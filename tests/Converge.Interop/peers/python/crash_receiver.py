"""Bob (slixmpp) logs in after the server was killed and restarted, and collects alice's messages.

Prints a GOT line for every message from alice, in the order handled, until at least the given
number arrived; then a round trip proves nothing more (no duplicate) is queued, and his archive's
count of messages with alice is printed as ARCHIVE.

Usage: crash_receiver.py --port SERVER --bob bob:secret --alice alice --at-least 1000
"""

import asyncio

from durable_peer import delayed, peer_with, server_round_trip, wait_for
from peer import bare, credentials, log, parse_args, run_scenario

PREFIX = "crash "


def more_arguments(parser):
    parser.add_argument("--alice", required=True, help="alice's localpart")
    parser.add_argument("--at-least", type=int, required=True)


async def scenario():
    args = parse_args(["bob"], extra=more_arguments)
    bob_jid, bob_password = credentials(args, "bob")
    alice_jid = f"{args.alice}@{args.domain}"

    bob = peer_with("bob", bob_jid, bob_password, args.host, args.port, "xep_0198", "xep_0313")
    got = []
    all_in = asyncio.Event()

    def on_message(msg):
        if bare(msg["from"]) == alice_jid and msg["body"].startswith(PREFIX):
            got.append(msg["body"])
            log(f"GOT {msg['body']} delayed={delayed(msg)}")
            if len(got) >= args.at_least:
                all_in.set()

    bob.xmpp.add_event_handler("message", on_message)
    await bob.login()
    if args.at_least > 0:
        await wait_for(all_in, f"{args.at_least} messages from alice", timeout=30.0)
    await server_round_trip(bob)
    log(f"DONE bob received={len(got)}")

    result = await bob.xmpp["xep_0313"].retrieve(with_jid=alice_jid, rsm={"max": 1}, timeout=10)
    log(f"ARCHIVE bob with={alice_jid} count={result['mam_fin']['rsm']['count']}")
    await bob.logout()


if __name__ == "__main__":
    run_scenario(scenario)

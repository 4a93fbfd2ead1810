"""Alice (slixmpp with xep_0198) sends 1,000 messages to an offline bob and counts the server's acks.

Without --announce-at she waits until the server's <a h/> covers every stanza she sent and prints
ACKED 1000. With --announce-at N she prints ACKED-AT-LEAST N as soon as N messages are acked and
keeps going, so that the driver can kill the server in the middle of the burst. Either way she
then waits for the driver to kill the server (SIGKILL) and, when her connection dies, prints how
many messages the server had acknowledged to her: ACKED-BEFORE-DEATH k. She does not reconnect.

Usage: crash_sender.py --port SERVER --alice alice:secret --bob bob [--announce-at N]
"""

import asyncio

from durable_peer import peer_with, wait_for
from peer import credentials, expect, log, parse_args, run_scenario

COUNT = 1000
PREFIX = "crash "


def more_arguments(parser):
    parser.add_argument("--bob", required=True, help="bob's localpart")
    parser.add_argument("--announce-at", type=int)
    parser.add_argument("--count", type=int, default=COUNT, help="how many messages to send")


async def scenario():
    args = parse_args(["alice"], extra=more_arguments)
    alice_jid, alice_password = credentials(args, "alice")
    bob_jid = f"{args.bob}@{args.domain}"

    alice = peer_with("alice", alice_jid, alice_password, args.host, args.port, "xep_0198")
    sm = alice.xmpp["xep_0198"]
    all_acked = asyncio.Event()
    acked_messages = []

    def on_acked(stanza):
        if stanza.name == "message" and stanza["body"].startswith(PREFIX):
            acked_messages.append(stanza["body"])
            if len(acked_messages) == args.announce_at:
                log(f"ACKED-AT-LEAST {args.announce_at}")
        if len(acked_messages) == args.count and not sm.unacked_queue:
            all_acked.set()

    alice.xmpp.add_event_handler("stanza_acked", on_acked)
    await alice.login()
    expect(sm.enabled_in and sm.enabled_out, "alice: stream management was not enabled")

    for i in range(args.count):
        alice.send_message(bob_jid, f"{PREFIX}{i:04}")
    # slixmpp asks for acks every few stanzas; ask once more for the tail of the burst. Its own
    # request_ack() writes at once, ahead of messages still in its send queue: queue the <r/> instead.
    sm.stanza.RequestAck(alice.xmpp).send()
    if args.announce_at is None:
        await wait_for(all_acked, f"the server's acks for all {args.count} messages", timeout=30.0)
        log(f"ACKS h={sm.last_ack} unacked={len(sm.unacked_queue)}")
        log(f"ACKED {len(acked_messages)}")

    await wait_for(alice.disconnected, "the server to go away", timeout=30.0)
    expect(acked_messages == [f"{PREFIX}{i:04}" for i in range(len(acked_messages))],
           "acks did not cover the messages in the order sent")
    log(f"ACKED-BEFORE-DEATH {len(acked_messages)}")


if __name__ == "__main__":
    run_scenario(scenario)

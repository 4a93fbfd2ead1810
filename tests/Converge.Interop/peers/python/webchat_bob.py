"""bob on slixmpp for the web chat test: when told SEND on stdin, sends alice a message, then
prints the first message he gets from her.

Usage: webchat_bob.py --port P --bob bob:secret --alice alice
"""

import asyncio
import sys

from peer import Peer, bare, log, parse_args, credentials, run_scenario


def extra(parser):
    pass


async def scenario():
    args = parse_args(["bob", "alice"], extra)
    bob_jid, bob_password = credentials(args, "bob")
    alice_jid = f"{args.alice}@{args.domain}"
    bob = Peer("bob", bob_jid, bob_password, args.host, args.port)
    await bob.login()
    log("READY")
    line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    if line.strip() != "SEND":
        log(f"FAIL expected SEND, got {line!r}")
        return
    bob.send_message(alice_jid, "hello from slixmpp")
    log("SENT")
    reply = await bob.next_message("alice's answer from the browser", lambda m: bare(m["from"]) == alice_jid)
    log(f"BOB-GOT {reply['body']}")
    await bob.logout()


if __name__ == "__main__":
    run_scenario(scenario)

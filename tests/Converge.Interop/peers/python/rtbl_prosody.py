"""A real-time blocklist (RTBL) published on Prosody's mod_pubsub and applied by Converge across the
interconnection (issue 15): the owner creates the node and publishes or retracts items whose id is the
SHA-256 (lowercase hex) of a bare JID, as mod_muc_rtbl and xmppbl.org lists do; a spammer and a clean
user of Prosody write to alice on Converge, who reports which messages reached her.

Driven line by line on stdin, so the test can wait for Converge between steps:
  alice HOST:PORT:DOMAIN:USER:PW   log alice in on Converge             -> ALICE-READY
  publish                          publish the spammer's hash           -> PUBLISHED
  retract                          retract it, with notification        -> RETRACTED
  round N                          spammer then clean user send "N"     -> ROUND N spam=delivered|dropped clean=delivered
  quit

Usage: rtbl_prosody.py --owner HOST:PORT:DOMAIN:USER:PW --spammer ... --clean ... --service pubsub.DOMAIN --node NODE
"""

import argparse
import asyncio
import hashlib
import logging
import sys

from slixmpp.xmlstream import ET

from peer import Peer, ScenarioFailure, bare, log, run_scenario

REPORT = "urn:xmpp:reporting:1"


def account(name, text):
    host, port, domain, user, password = text.split(":", 4)
    return Peer(name, f"{user}@{domain}", password, host, int(port))


async def scenario():
    parser = argparse.ArgumentParser()
    for role in ("owner", "spammer", "clean"):
        parser.add_argument(f"--{role}", required=True)
    parser.add_argument("--service", required=True)
    parser.add_argument("--node", required=True)
    parser.add_argument("--debug", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.ERROR, stream=sys.stderr)

    owner, spammer, clean = account("owner", args.owner), account("spammer", args.spammer), account("clean", args.clean)
    owner.xmpp.register_plugin("xep_0060")
    for peer in (owner, spammer, clean):
        await peer.login()
    pubsub = owner.xmpp["xep_0060"]
    await pubsub.create_node(args.service, args.node)
    spammer_jid = bare(spammer.jid)
    item_id = hashlib.sha256(spammer_jid.encode("utf-8")).hexdigest()
    log(f"READY node {args.node} at {args.service}; spammer {spammer_jid} is item {item_id}")

    alice = None
    loop = asyncio.get_running_loop()
    while True:
        line = (await loop.run_in_executor(None, sys.stdin.readline)).strip()
        if not line or line == "quit":
            break
        command, _, rest = line.partition(" ")
        if command == "alice":
            alice = account("alice", rest)
            await alice.login()
            log("ALICE-READY")
        elif command == "publish":
            # The payload is what xmppbl.org publishes; mod_muc_rtbl and Converge read only the id.
            report = ET.Element(f"{{{REPORT}}}report", {"reason": "urn:xmpp:reporting:spam"})
            await pubsub.publish(args.service, args.node, id=item_id, payload=report)
            log("PUBLISHED")
        elif command == "retract":
            await pubsub.retract(args.service, args.node, item_id, notify=True)
            log("RETRACTED")
        elif command == "round":
            if alice is None:
                raise ScenarioFailure("round before alice logged in")
            to = bare(alice.jid)
            # Same Prosody, same server-to-server link to Converge. The spammer's message is sent, then a
            # ping to his own server comes back only once Prosody handled what came before it on his
            # stream: his message is queued on the link before the clean user's. Once the clean user's
            # has arrived, the spammer's either arrived before it or was dropped.
            spammer.send_message(to, f"spam {rest}")
            await spammer.xmpp["xep_0199"].ping(jid=spammer.jid.domain, timeout=30)
            clean.send_message(to, f"clean {rest}")
            await alice.next_message(f"the clean message of round {rest}", lambda m: str(m["body"]) == f"clean {rest}")
            got_spam = alice.messages.find(lambda m: str(m["body"]) == f"spam {rest}") is not None
            log(f"ROUND {rest} spam={'delivered' if got_spam else 'dropped'} clean=delivered")
        else:
            raise ScenarioFailure(f"unknown command {line!r}")

    for peer in (owner, spammer, clean) + ((alice,) if alice else ()):
        await peer.logout()


if __name__ == "__main__":
    run_scenario(scenario)

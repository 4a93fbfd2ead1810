"""Sessions that live through a configuration reload: before it, then after it, on the same streams.

alice and bob log in. alice writes to bob@b.example (the agreement grants no Messaging yet: not-allowed)
and prints READY. The test edits the configuration and sends the server SIGHUP, then creates the file
named by --go. alice writes to bob@b.example again (now allowed: whatever error comes back is not
not-allowed), then 5 messages to bob under the new limit of 4 messages a minute: 3 arrive, 2 are
refused with policy-violation. Both streams must still be the ones opened before the reload.

Usage: sighup_reload.py --port P --alice alice:pw --bob bob:pw --go FILE [--domain localhost]
"""

import asyncio
import os

from peer import Peer, ScenarioFailure, bare, credentials, expect, log, parse_args, run_scenario

PEER_USER = "bob@b.example"
MESSAGES = 5
WAIT_FOR_GO = 120


STANZAS_NS = "{urn:ietf:params:xml:ns:xmpp-stanzas}"


def condition_of(error):
    """The defined condition element of an error stanza, read from the XML: slixmpp knows no policy-violation."""
    for child in error["error"].xml:
        if child.tag.startswith(STANZAS_NS) and child.tag != STANZAS_NS + "text":
            return child.tag[len(STANZAS_NS):]
    return "none"


async def refusal_for(alice, to):
    error = await alice.errors.take(lambda m: str(m["from"]) == to, f"alice: the error for {to}")
    return condition_of(error)


async def scenario():
    args = parse_args(["alice", "bob"], extra=lambda p: p.add_argument("--go", required=True))
    alice_jid, alice_password = credentials(args, "alice")
    bob_jid, bob_password = credentials(args, "bob")
    alice = Peer("alice", alice_jid, alice_password, args.host, args.port)
    bob = Peer("bob", bob_jid, bob_password, args.host, args.port)
    await alice.login()
    await bob.login()

    alice.send_message(PEER_USER, "before the reload")
    log(f"BEFORE {PEER_USER} condition={await refusal_for(alice, PEER_USER)}")
    log("READY")

    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_FOR_GO
    while not os.path.exists(args.go):
        if loop.time() > deadline:
            raise ScenarioFailure(f"no reload signalled within {WAIT_FOR_GO}s")
        await asyncio.sleep(0.1)

    alice.send_message(PEER_USER, "after the reload")
    log(f"AFTER {PEER_USER} condition={await refusal_for(alice, PEER_USER)}")

    for i in range(MESSAGES):
        alice.send_message(bob_jid, f"after #{i}")
    refused = []
    for _ in range(2):
        error = await alice.errors.take(
            lambda m: bare(m["from"]) == bob_jid, "alice: an error for a message to bob")
        refused.append(condition_of(error))
    delivered = []
    for i in range(MESSAGES - 2):
        msg = await bob.next_message(f"message #{i}", lambda m: bare(m["from"]) == alice_jid)
        delivered.append(msg["body"])
    log(f"RATE delivered={','.join(delivered)} refused={','.join(refused)}")

    expect(not alice.disconnected.is_set() and not bob.disconnected.is_set(), "a stream ended across the reload")
    log("STILL-CONNECTED alice bob")
    await alice.logout()
    await bob.logout()


if __name__ == "__main__":
    run_scenario(scenario)

"""Seed 000 between two Converge providers, driven by slixmpp on both sides.

  flow     --alice ACCOUNT --bob ACCOUNT --bob-number +E164
           Alice (provider A) adds Bob (provider B) by number, written in her own domain
           (+E164@<A's domain>); Bob approves and adds her back; presence and 10 messages each way.
  stranger --carol ACCOUNT --alice ACCOUNT
           Carol (a provider A has no agreement with) writes to Alice: what Carol gets back,
           and that nothing reaches Alice.

ACCOUNT is HOST:PORT:DOMAIN:USER:PASSWORD. Prints one line per checked fact and PASS at the end.
"""

import argparse
import asyncio
import logging
import sys

from peer import Peer, bare, expect, format_roster, log, run_scenario

MESSAGE_COUNT = 10
# How long Alice listens for a message from a stranger that must not arrive.
QUIET_SECONDS = 3.0


def account(name, text):
    host, port, domain, user, password = text.split(":", 4)
    return Peer(name, f"{user}@{domain}", password, host, int(port))


async def roster_settles(peer, jid, subscription):
    """The roster once its item for jid has the subscription (the push may trail the presence)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 10
    while True:
        roster = await peer.roster()
        if roster.get(jid, ("none", ""))[0] == subscription or loop.time() > deadline:
            return roster
        await asyncio.sleep(0.2)


async def flow(args):
    alice = account("alice", args.alice)
    bob = account("bob", args.bob)
    alice_jid, bob_jid = str(alice.xmpp.boundjid.bare), str(bob.xmpp.boundjid.bare)
    # Bob as Alice knows him: his number in her own provider's domain.
    bob_at_a = f"{args.bob_number}@{alice.xmpp.boundjid.domain}"
    await alice.login(status="alice at her desk")
    await bob.login(status="bob on the train")

    alice.send_presence(bob_at_a, "subscribe")
    request = await bob.next_presence("alice's subscription request", lambda p: p["type"] == "subscribe")
    log(f"SUBSCRIBE-REQUEST bob from={bare(request['from'])}")
    bob.send_presence(alice_jid, "subscribed")
    bob.send_presence(alice_jid, "subscribe")
    approval = await alice.next_presence("bob's approval", lambda p: p["type"] == "subscribed")
    log(f"SUBSCRIBED alice by={bare(approval['from'])}")
    back = await alice.next_presence("bob's subscription request", lambda p: p["type"] == "subscribe")
    log(f"SUBSCRIBE-REQUEST alice from={bare(back['from'])}")
    alice.send_presence(bare(back["from"]), "subscribed")
    approval = await bob.next_presence("alice's approval", lambda p: p["type"] == "subscribed")
    log(f"SUBSCRIBED bob by={bare(approval['from'])}")

    log(f"ROSTER alice {format_roster(await roster_settles(alice, bob_at_a, 'both'))}")
    log(f"ROSTER bob {format_roster(await roster_settles(bob, alice_jid, 'both'))}")

    seen = await alice.next_presence(
        "bob's presence", lambda p: p["type"] == "available" and bare(p["from"]) != alice_jid)
    log(f"PRESENCE alice sees {bare(seen['from'])} available status='{seen['status']}'")
    seen = await bob.next_presence(
        "alice's presence", lambda p: p["type"] == "available" and bare(p["from"]) != bob_jid)
    log(f"PRESENCE bob sees {bare(seen['from'])} available status='{seen['status']}'")

    for i in range(MESSAGE_COUNT):
        alice.send_message(bob_at_a, f"alice {i}")
        bob.send_message(alice_jid, f"bob {i}")
    for receiver, sender in ((bob, alice), (alice, bob)):
        bodies, senders = [], set()
        for i in range(MESSAGE_COUNT):
            message = await receiver.next_message(f"message {i} from {sender.name}")
            bodies.append(message["body"])
            senders.add(bare(message["from"]))
        expected = [f"{sender.name} {i}" for i in range(MESSAGE_COUNT)]
        expect(bodies == expected, f"{receiver.name} received {bodies}, expected {expected}")
        log(f"ORDERED {receiver.name} received {MESSAGE_COUNT} messages from {' '.join(sorted(senders))} in order")

    await alice.logout()
    await bob.logout()


async def stranger(args):
    carol = account("carol", args.carol)
    alice = account("alice", args.alice)
    alice_jid = str(alice.xmpp.boundjid.bare)
    await alice.login(status="alice at her desk")
    await carol.login(status="carol from elsewhere")

    carol.xmpp.send_message(mto=alice_jid, mbody="hello from a stranger", mtype="chat")
    error = await carol.errors.take(lambda _m: True, "carol: an error for her message to alice")
    log(f"ERROR carol from={error['from']} type={error['error']['type']} "
        f"condition={error['error']['condition']} text='{error['error']['text']}'")

    await asyncio.sleep(QUIET_SECONDS)
    received = alice.messages.find(lambda _m: True)
    expect(received is None, f"alice received {received}")
    log("NOTHING alice received no message")

    await carol.logout()
    await alice.logout()


async def scenario():
    parser = argparse.ArgumentParser()
    modes = parser.add_subparsers(dest="mode", required=True)
    flow_mode = modes.add_parser("flow")
    flow_mode.add_argument("--alice", required=True)
    flow_mode.add_argument("--bob", required=True)
    flow_mode.add_argument("--bob-number", required=True)
    stranger_mode = modes.add_parser("stranger")
    stranger_mode.add_argument("--carol", required=True)
    stranger_mode.add_argument("--alice", required=True)
    parser.add_argument("--debug", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.ERROR, stream=sys.stderr)
    await (flow(args) if args.mode == "flow" else stranger(args))


if __name__ == "__main__":
    run_scenario(scenario)

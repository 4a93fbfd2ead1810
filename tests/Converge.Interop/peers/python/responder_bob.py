"""The slixmpp side of the mixed-library scenario: bob answers whatever alice's library does.

Prints READY once logged in; then accepts alice's subscription and asks back, waits
for her approval and presence, answers each "alice to bob #i" with "bob to alice #i"
and, on "bye", checks his roster and logs out.

Usage: responder_bob.py --port P --bob bob:secret --alice alice [--domain localhost]
"""

from peer import Peer, bare, expect, format_roster, log, parse_args, credentials, run_scenario


async def scenario():
    args = parse_args(["bob", "alice"])
    bob_jid, bob_password = credentials(args, "bob")
    alice_jid = credentials(args, "alice")[0]
    bob = Peer("bob", bob_jid, bob_password, args.host, args.port)
    await bob.login(status="bob on slixmpp")
    log("READY")

    request = await bob.next_presence(
        "alice's subscription request",
        lambda p: p["type"] == "subscribe" and bare(p["from"]) == alice_jid)
    log(f"SUBSCRIBE-REQUEST bob from={request['from']}")
    bob.send_presence(alice_jid, "subscribed")
    bob.send_presence(alice_jid, "subscribe")
    await bob.next_presence(
        "alice's approval",
        lambda p: p["type"] == "subscribed" and bare(p["from"]) == alice_jid)
    log("SUBSCRIBED bob by=alice")
    seen = await bob.next_presence(
        "alice available",
        lambda p: p["type"] == "available" and bare(p["from"]) == alice_jid)
    log(f"PRESENCE bob sees alice available status={seen['status']!r}")
    expect(seen["status"] == "alice on node", f"alice's status text was {seen['status']!r}")

    expected = 0
    while True:
        msg = await bob.next_message(f"alice's message #{expected}", lambda m: bare(m["from"]) == alice_jid)
        if msg["body"] == "bye":
            break
        expect(msg["body"] == f"alice to bob #{expected}",
               f"bob expected 'alice to bob #{expected}' next, got {msg['body']!r}")
        bob.send_message(msg["from"], f"bob to alice #{expected}")
        expected += 1
    log(f"ORDERED bob received {expected} messages in order")

    roster = await bob.roster()
    log(f"ROSTER bob {format_roster(roster)}")
    expect(roster.get(alice_jid, ("none", ""))[0] == "both",
           f"bob's roster item for alice is {roster.get(alice_jid)}, expected both")
    log("SUBSCRIPTION bob both")
    await bob.logout()


if __name__ == "__main__":
    run_scenario(scenario)

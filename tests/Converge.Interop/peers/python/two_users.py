"""Two slixmpp users: mutual subscription, presence, ordered chat, offline delivery, blocking.

Usage: two_users.py --port P --alice alice:secret --bob bob:secret [--domain localhost]
"""

from peer import Peer, bare, expect, format_roster, log, parse_args, credentials, run_scenario

MESSAGE_COUNT = 20


async def scenario():
    args = parse_args(["alice", "bob"])
    alice_jid, alice_password = credentials(args, "alice")
    bob_jid, bob_password = credentials(args, "bob")

    def new_bob():
        return Peer("bob", bob_jid, bob_password, args.host, args.port)

    alice = Peer("alice", alice_jid, alice_password, args.host, args.port)
    bob = new_bob()
    await alice.login(status="alice at her desk")
    await bob.login(status="bob on the train")

    await subscribe_mutually(alice, bob, alice_jid, bob_jid)
    await see_each_other(alice, bob, alice_jid, bob_jid)
    await chat_in_order(alice, bob, alice_jid, bob_jid)
    bob = await deliver_offline(alice, bob, new_bob, alice_jid, bob_jid)
    await block_and_unblock(alice, bob, alice_jid, bob_jid)

    await bob.logout()
    await alice.logout()


async def subscribe_mutually(alice, bob, alice_jid, bob_jid):
    """RFC 6121 section 3: alice asks, bob approves and asks back, alice approves."""
    alice.send_presence(bob_jid, "subscribe")
    request = await bob.next_presence(
        "subscription request from alice",
        lambda p: p["type"] == "subscribe" and bare(p["from"]) == alice_jid)
    log(f"SUBSCRIBE-REQUEST bob from={request['from']}")

    bob.send_presence(alice_jid, "subscribed")
    bob.send_presence(alice_jid, "subscribe")

    await alice.next_presence(
        "bob's approval",
        lambda p: p["type"] == "subscribed" and bare(p["from"]) == bob_jid)
    log("SUBSCRIBED alice by=bob")
    await alice.next_presence(
        "subscription request from bob",
        lambda p: p["type"] == "subscribe" and bare(p["from"]) == bob_jid)
    log("SUBSCRIBE-REQUEST alice from=bob")
    alice.send_presence(bob_jid, "subscribed")
    await bob.next_presence(
        "alice's approval",
        lambda p: p["type"] == "subscribed" and bare(p["from"]) == alice_jid)
    log("SUBSCRIBED bob by=alice")

    alice_roster = await alice.roster()
    bob_roster = await bob.roster()
    log(f"ROSTER alice {format_roster(alice_roster)}")
    log(f"ROSTER bob {format_roster(bob_roster)}")
    expect(alice_roster.get(bob_jid, ("none", ""))[0] == "both",
           f"alice's roster item for bob is {alice_roster.get(bob_jid)}, expected both")
    expect(bob_roster.get(alice_jid, ("none", ""))[0] == "both",
           f"bob's roster item for alice is {bob_roster.get(alice_jid)}, expected both")
    log("SUBSCRIPTION both")


def available_from(jid, status=None):
    def matches(p):
        return (p["type"] in ("available", "") or p["type"] in p.showtypes) \
            and bare(p["from"]) == jid \
            and (status is None or p["status"] == status)
    return matches


async def see_each_other(alice, bob, alice_jid, bob_jid):
    """Approval makes the approver's current presence flow (RFC 6121 3.1.5); later changes are broadcast."""
    seen = await alice.next_presence("bob available", available_from(bob_jid))
    log(f"PRESENCE alice sees bob available status={seen['status']!r}")
    expect(seen["status"] == "bob on the train", f"bob's status text was {seen['status']!r}")
    seen = await bob.next_presence("alice available", available_from(alice_jid))
    log(f"PRESENCE bob sees alice available status={seen['status']!r}")
    expect(seen["status"] == "alice at her desk", f"alice's status text was {seen['status']!r}")

    bob.xmpp.send_presence(pshow="away", pstatus="bob in a tunnel")
    seen = await alice.next_presence("bob's changed status", available_from(bob_jid, "bob in a tunnel"))
    log(f"PRESENCE alice sees bob show={seen['show']} status={seen['status']!r}")
    expect(seen["show"] == "away", f"bob's show was {seen['show']!r}")


async def chat_in_order(alice, bob, alice_jid, bob_jid):
    for i in range(MESSAGE_COUNT):
        alice.send_message(bob_jid, f"alice to bob #{i}")
        bob.send_message(alice_jid, f"bob to alice #{i}")
    for receiver, sender_jid, text in ((bob, alice_jid, "alice to bob"), (alice, bob_jid, "bob to alice")):
        for i in range(MESSAGE_COUNT):
            msg = await receiver.next_message(f"{text} #{i}", lambda m: bare(m["from"]) == sender_jid)
            expect(msg["body"] == f"{text} #{i}",
                   f"{receiver.name} expected {text} #{i} next, got {msg['body']!r}")
        log(f"ORDERED {receiver.name} received {MESSAGE_COUNT} messages in order")


async def deliver_offline(alice, bob, new_bob, alice_jid, bob_jid):
    """A message to an offline user is stored and delivered with a XEP-0203 delay on next login."""
    await bob.logout()
    await alice.next_presence(
        "bob unavailable",
        lambda p: p["type"] == "unavailable" and bare(p["from"]) == bob_jid)
    log("PRESENCE alice sees bob unavailable")
    alice.send_message(bob_jid, "while you were away")

    bob = new_bob()
    await bob.login(status="bob is back")
    msg = await bob.next_message("the stored message", lambda m: bare(m["from"]) == alice_jid)
    expect(msg["body"] == "while you were away", f"bob got {msg['body']!r} instead of the stored message")
    delay = msg.xml.find("{urn:xmpp:delay}delay")
    expect(delay is not None, "the stored message has no urn:xmpp:delay element")
    expect(delay.get("stamp"), "the delay element has no stamp")
    log(f"OFFLINE bob received stored message delay-stamp={delay.get('stamp')} delay-from={delay.get('from')}")
    return bob


async def block_and_unblock(alice, bob, alice_jid, bob_jid):
    """XEP-0191: a blocked contact's messages are not delivered; after unblocking they are."""
    await alice.iq(block_iq(alice, "block", bob_jid))
    blocked = await alice.iq(blocklist_get(alice))
    blocked_jids = {str(j) for j in blocked["blocklist"]["items"]}
    log(f"BLOCKLIST alice {sorted(blocked_jids)}")
    expect(bob_jid in blocked_jids, f"bob is not on alice's blocklist: {blocked_jids}")

    # XEP-0191 3.4: the user's own outbound stanza to a blocked contact bounces with <blocked/>.
    alice.send_message(bob_jid, "to blocked bob")
    bounce = await alice.errors.take(lambda m: bare(m["from"]) == bob_jid, "alice's bounce for a blocked contact")
    condition = bounce["error"]["condition"]
    has_blocked = bounce.xml.find(".//{urn:xmpp:blocking:errors}blocked") is not None
    log(f"BLOCKED-OUTBOUND alice error={condition} blocked-element={has_blocked}")
    expect(condition == "not-acceptable", f"alice's bounce condition was {condition}, expected not-acceptable")
    expect(has_blocked, "alice's bounce lacks <blocked xmlns='urn:xmpp:blocking:errors'/>")

    bob.send_message(alice_jid, "from blocked bob")
    # A roster query answered after the message proves the server has processed the message
    # (stanzas of one stream are handled in order), without sleeping.
    await bob.roster()
    # XEP-0191 3.5: nothing reaches alice; bob gets nothing or <service-unavailable/>.
    error = bob.errors.find(lambda m: bare(m["from"]) == alice_jid)
    if error is not None:
        condition = error["error"]["condition"]
        log(f"BLOCKED-INBOUND bob error={condition}")
        expect(condition == "service-unavailable", f"bob's error was {condition}, expected service-unavailable")
    else:
        log("BLOCKED-INBOUND bob error=none")

    await alice.iq(block_iq(alice, "unblock", bob_jid))
    log("UNBLOCKED alice unblocked bob")
    bob.send_message(alice_jid, "after unblock")
    msg = await alice.next_message("bob's message after unblocking", lambda m: bare(m["from"]) == bob_jid)
    expect(msg["body"] == "after unblock",
           f"alice received {msg['body']!r} from bob; the message sent while blocked must not be delivered")
    log("BLOCKING blocked message withheld, message after unblock delivered")


def block_iq(peer, action, jid):
    iq = peer.xmpp.make_iq_set()
    iq[action]["items"] = [jid]
    return iq


def blocklist_get(peer):
    iq = peer.xmpp.make_iq_get()
    iq.enable("blocklist")
    return iq


if __name__ == "__main__":
    run_scenario(scenario)

"""A scripted scenario whose every step the server's counters must show exactly.

alice and bob log in, carol fails to (wrong password); alice sends bob three messages; alice
writes to bob@b.example, whose agreement does not grant Messaging, and to someone at a domain
with no agreement: both are refused with not-allowed. Prints PASS, then both log out.

Usage: metrics_scenario.py --port P --alice alice:pw --bob bob:pw --carol carol:wrong [--domain localhost]
"""

from peer import Peer, bare, credentials, expect, log, parse_args, run_scenario

MESSAGES = 3


async def scenario():
    args = parse_args(["alice", "bob", "carol"])
    alice_jid, alice_password = credentials(args, "alice")
    bob_jid, bob_password = credentials(args, "bob")
    carol_jid, carol_password = credentials(args, "carol")

    alice = Peer("alice", alice_jid, alice_password, args.host, args.port)
    bob = Peer("bob", bob_jid, bob_password, args.host, args.port)
    carol = Peer("carol", carol_jid, carol_password, args.host, args.port)
    await alice.login()
    await bob.login()
    expect(not await carol.connect(), "carol logged in with a wrong password")
    log(f"AUTH-FAILED carol condition={carol.auth_failure}")

    for i in range(MESSAGES):
        alice.send_message(bob_jid, f"alice to bob #{i}")
    for i in range(MESSAGES):
        msg = await bob.next_message(f"message #{i}", lambda m: bare(m["from"]) == alice_jid)
        expect(msg["body"] == f"alice to bob #{i}", f"bob got {msg['body']!r} as #{i}")
    log(f"DELIVERED bob received {MESSAGES} messages")

    for to in ("bob@b.example", "someone@nowhere.example"):
        alice.send_message(to, "across")
        error = await alice.errors.take(lambda m: str(m["from"]) == to, f"alice: the error for {to}")
        log(f"REFUSED {to} condition={error['error']['condition']}")
        expect(error["error"]["condition"] == "not-allowed", f"{to}: {error['error']['condition']}")

    log("PASS")
    await alice.logout()
    await bob.logout()


if __name__ == "__main__":
    run_scenario(scenario)

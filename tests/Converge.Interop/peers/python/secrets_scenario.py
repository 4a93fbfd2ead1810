"""Traffic that carries secrets, for a test that then searches the server's log for them.

alice and bob log in with their passwords; carol tries a wrong one; alice sends --body to bob (online),
to dave (offline: stored) and to the phone number --sms (through the SMSC). Prints PASS.

Usage: secrets_scenario.py --port P --alice alice:pw --bob bob:pw --carol carol:wrong --body TEXT --sms +E164 [--domain localhost]
"""

from peer import Peer, bare, credentials, expect, log, parse_args, run_scenario


def extra(parser):
    parser.add_argument("--body", required=True)
    parser.add_argument("--sms", required=True)


async def scenario():
    args = parse_args(["alice", "bob", "carol"], extra=extra)
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

    alice.send_message(bob_jid, args.body)
    msg = await bob.next_message("alice's message", lambda m: bare(m["from"]) == alice_jid)
    expect(msg["body"] == args.body, f"bob got {msg['body']!r}")
    log("DELIVERED bob")
    alice.send_message(f"dave@{args.domain}", args.body)
    alice.send_message(f"{args.sms}@{args.domain}", args.body)
    log("SENT dave sms")
    await alice.logout()
    await bob.logout()


if __name__ == "__main__":
    run_scenario(scenario)

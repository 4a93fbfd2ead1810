"""A scripted scenario whose every step the server's counters must show exactly.

alice and bob log in, carol fails to (wrong password); alice sends bob three messages; alice
writes to bob@PEER, whose agreement does not grant Messaging, and to someone at a domain with no
agreement: both are refused with not-allowed. alice writes one SMS to --sms (a number that is
nobody's here: it goes to the SMSC). Then the peer provider's user (--remote, logged in to the peer
server on --remote-port) writes to alice: our side refuses it with not-allowed, and alice never sees
it. Prints PASS, then everybody logs out.

Usage: metrics_scenario.py --port P --alice alice:pw --bob bob:pw --carol carol:wrong
       --remote bob:pw --remote-domain b.test --remote-port P2 --sms +4915110000099 [--domain localhost]
"""

from peer import Peer, bare, credentials, expect, log, parse_args, run_scenario

MESSAGES = 3


def remote_args(parser):
    parser.add_argument("--remote", required=True, help="localpart:password at the peer provider")
    parser.add_argument("--remote-domain", required=True)
    parser.add_argument("--remote-port", type=int, required=True)
    parser.add_argument("--sms", required=True, help="an E.164 number that is nobody's here")


async def scenario():
    args = parse_args(["alice", "bob", "carol"], extra=remote_args)
    alice_jid, alice_password = credentials(args, "alice")
    bob_jid, bob_password = credentials(args, "bob")
    carol_jid, carol_password = credentials(args, "carol")
    remote_local, _, remote_password = args.remote.partition(":")
    remote_jid = f"{remote_local}@{args.remote_domain}"

    alice = Peer("alice", alice_jid, alice_password, args.host, args.port)
    bob = Peer("bob", bob_jid, bob_password, args.host, args.port)
    carol = Peer("carol", carol_jid, carol_password, args.host, args.port)
    remote = Peer("remote", remote_jid, remote_password, args.host, args.remote_port)
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

    for to in (remote_jid, "someone@nowhere.example"):
        alice.send_message(to, "across")
        error = await alice.errors.take(lambda m: str(m["from"]) == to, f"alice: the error for {to}")
        log(f"REFUSED {to} condition={error['error']['condition']}")
        expect(error["error"]["condition"] == "not-allowed", f"{to}: {error['error']['condition']}")

    alice.send_message(f"{args.sms}@{args.domain}", "alice to a phone")
    log(f"SMS-SENT {args.sms}")

    await remote.login()
    remote.send_message(alice_jid, "from the peer provider")
    error = await remote.errors.take(lambda m: bare(m["from"]) == alice_jid, "remote: the error for alice")
    log(f"PEER-REFUSED {alice_jid} condition={error['error']['condition']}")
    expect(alice.messages.find(lambda m: bare(m["from"]) == remote_jid) is None, "alice received the refused message")

    log("PASS")
    await alice.logout()
    await bob.logout()
    await remote.logout()


if __name__ == "__main__":
    run_scenario(scenario)

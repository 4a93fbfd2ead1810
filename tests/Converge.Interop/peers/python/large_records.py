"""Large stanzas both ways between two slixmpp clients, each after the connections went idle.

Converge frees OpenSSL's record buffers whenever a TLS connection waits for its peer (between
every read), so every large stanza here is read and written through buffers that were just taken
away. alice sends bob a message of each size (several TLS records each), bob checks every byte and
answers with one of the same size, alice checks that; small ones in between. Prints ROUND lines
and PASS.

Usage: large_records.py --port P --alice alice:secret --bob bob:secret
"""

import hashlib

from peer import Peer, bare, credentials, expect, log, parse_args, run_scenario

SIZES = [40_000, 7, 120_000, 300, 200_000, 16_384]


def body(who, round_no, size):
    # Hex text: any size, XML-safe, different for every round and direction.
    seed = f"{who}-{round_no}".encode()
    text = ""
    while len(text) < size:
        seed = hashlib.sha256(seed).digest()
        text += seed.hex()
    return text[:size]


async def scenario():
    args = parse_args(["alice", "bob"])
    alice_jid, alice_password = credentials(args, "alice")
    bob_jid, bob_password = credentials(args, "bob")
    alice = Peer("alice", alice_jid, alice_password, args.host, args.port)
    bob = Peer("bob", bob_jid, bob_password, args.host, args.port)
    await alice.login()
    await bob.login()
    log(f"LOGIN both tls={alice.tls and bob.tls}")

    for round_no, size in enumerate(SIZES):
        sent = body("alice", round_no, size)
        alice.send_message(bob_jid, sent)
        got = await bob.next_message(f"alice's message of {size} bytes", lambda m: bare(m["from"]) == alice_jid)
        expect(got["body"] == sent, f"bob got {len(got['body'])} bytes, not alice's {size}")
        answer = body("bob", round_no, size)
        bob.send_message(alice_jid, answer)
        back = await alice.next_message(f"bob's answer of {size} bytes", lambda m: bare(m["from"]) == bob_jid)
        expect(back["body"] == answer, f"alice got {len(back['body'])} bytes, not bob's {size}")
        log(f"ROUND {round_no} size={size} both ways intact")

    await alice.logout()
    await bob.logout()


if __name__ == "__main__":
    run_scenario(scenario)

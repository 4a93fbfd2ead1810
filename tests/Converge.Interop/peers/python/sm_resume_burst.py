"""XEP-0198 resumption with slixmpp when the connection dies in the middle of a burst.

bob (slixmpp with xep_0198) connects through the driver's flaky link (--port); alice connects to
the server directly (--direct-port). After READY the driver arms the link to stall part way
through what the server sends bob, and writes BURST: alice sends 200 messages to bob and prints
SENT once the server has routed all of them. The driver then cuts the link (RST both ways). bob
reconnects through the link as any client would and resumes; every message he handles is printed
as a GOT line, so the driver can check that each arrived once and in order.

Usage: sm_resume_burst.py --port LINK --direct-port SERVER --alice alice:secret --bob bob:secret
"""

import asyncio

from durable_peer import add_direct_port, command, peer_with, server_round_trip, wait_for
from peer import Peer, credentials, expect, log, parse_args, run_scenario

BURST = 200
PREFIX = "burst "


async def scenario():
    args = parse_args(["alice", "bob"], extra=add_direct_port)
    alice_jid, alice_password = credentials(args, "alice")
    bob_jid, bob_password = credentials(args, "bob")

    bob = peer_with("bob", bob_jid, bob_password, args.host, args.port, "xep_0198")
    alice = Peer("alice", alice_jid, alice_password, args.host, args.direct_port)

    got = []
    all_in = asyncio.Event()
    cut = asyncio.Event()
    resumed = asyncio.Event()
    sessions = []
    new_session = asyncio.Event()

    def on_message(msg):
        body = msg["body"]
        if body.startswith(PREFIX):
            got.append(body)
            log(f"GOT {body}")
            if len(got) >= BURST:
                all_in.set()

    def on_disconnected(_reason):
        if cut.is_set():
            return
        cut.set()
        log(f"CUT bob after {len(got)} messages")
        # What any client does when its connection drops: connect again; xep_0198 then resumes.
        asyncio.get_running_loop().call_soon(
            lambda: bob.xmpp.connect(address=(args.host, args.port), force_starttls=True))

    def on_session_start(_event):
        sessions.append("start")
        if len(sessions) > 1:
            new_session.set()

    bob.xmpp.add_event_handler("message", on_message)
    bob.xmpp.add_event_handler("disconnected", on_disconnected)
    bob.xmpp.add_event_handler("session_start", on_session_start)
    bob.xmpp.add_event_handler("session_resumed", lambda _e: resumed.set())

    await bob.login()
    sm = bob.xmpp["xep_0198"]
    expect(sm.enabled_in and sm.sm_id, "bob: stream management was not enabled with resumption")
    log("SM bob enabled resumable=True")
    await alice.login()
    log("READY")

    await command("BURST")
    for i in range(BURST):
        alice.send_message(bob_jid, f"{PREFIX}{i:03}")
    await server_round_trip(alice)
    log(f"SENT {BURST}")

    await wait_for(cut, "the driver to cut bob's connection")
    await wait_for(resumed, "bob's session to be resumed", unless=new_session,
                   unless_means="bob got a new session: resumption failed")
    log(f"RESUMED bob handled={sm.handled}")
    await wait_for(all_in, f"all {BURST} messages")
    # Anything resent twice would be queued before the answer to this.
    await server_round_trip(bob)
    log(f"DONE bob received={len(got)} sessions={len(sessions)}")

    await alice.logout()
    bob.xmpp.disconnect(wait=2.0)


if __name__ == "__main__":
    run_scenario(scenario)

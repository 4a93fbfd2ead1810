"""Push notifications (XEP-0357) for group-chat mentions with slixmpp clients.

dave/app plays the app server (as in push_app_server.py). alice's phone enables push and joins bob's room as
Alice, through the driver's flaky link with stream management; alice's desktop is in the room under the same
nick (a multi-session occupant), directly. bob speaks in the room:

- while the phone is online a mention makes no notification;
- the driver cuts the phone's link (CUT-ME / DETACHED): a room message that does not name Alice makes none,
  one that does makes one notification (once, although the room sends a copy to both of alice's sessions);
- the phone's session ends (ENDED): the desktop is still in the room, and a mention is still notified.

Each "settled" step ends with a barrier: bob's next room message coming back means the room has routed every
copy of the one before (a room handles one stanza at a time), and a round trip of dave's means any
notification routed to him has arrived.

Usage: push_groupchat.py --port LINK --direct-port SERVER --alice a:pw --bob b:pw --dave d:pw
"""

from durable_peer import add_direct_port, command, server_round_trip
from muc_rooms import Occupant, create_room
from peer import Peer, credentials, log, parse_args, run_scenario
from push_app_server import NODE, SECRET, AppServer, describe, enable_iq

ROOM = "team@conference.localhost"


async def scenario():
    args = parse_args(["alice", "bob", "dave"], extra=add_direct_port)
    alice_jid, alice_password = credentials(args, "alice")
    bob_jid, bob_password = credentials(args, "bob")
    dave_jid, dave_password = credentials(args, "dave")
    app_jid = dave_jid + "/app"

    dave = Peer("dave", app_jid, dave_password, args.host, args.direct_port)
    app = AppServer(dave)
    await dave.login()
    bob = Occupant("bob", bob_jid, bob_password, args.host, args.direct_port)
    await bob.login()
    phone = Occupant("alice-phone", alice_jid + "/phone", alice_password, args.host, args.port)
    phone.xmpp.register_plugin("xep_0198")
    await phone.login()
    desktop = Occupant("alice-desktop", alice_jid + "/desktop", alice_password, args.host, args.direct_port)
    await desktop.login()

    await phone.iq(enable_iq(phone, app_jid, NODE, SECRET))
    log("ENABLED alice/phone")
    await create_room(bob, ROOM, "Bob")
    await phone.join(ROOM, "Alice")
    await desktop.join(ROOM, "Alice")
    log("JOINED alice's phone and desktop as Alice")

    barriers = iter(range(1000))

    async def say(body):
        bob.xmpp.send_message(mto=ROOM, mbody=body, mtype="groupchat")

    async def settle():
        barrier = f"barrier {next(barriers)}"
        await say(barrier)
        await bob.group.take(lambda m: m["body"] == barrier, f"bob: {barrier} back from the room")
        await server_round_trip(dave)

    await say("Alice: lunch?")
    await phone.group.take(lambda m: m["body"] == "Alice: lunch?", "alice's phone: the mention while online")
    await settle()
    app.expect_none("for a mention while alice's phone is online")

    log("CUT-ME")
    await command("DETACHED")
    await say("nothing for anyone here")
    await settle()
    app.expect_none("for a room message that does not name Alice")

    await say("Alice, are you there?")
    log(describe(await app.next("a mention while the phone is detached")))
    await settle()
    app.expect_none("a second time for one mention (the desktop's copy)")

    await command("ENDED")
    await say("ping alice")
    log(describe(await app.next("a mention after the phone's session ended")))
    await settle()
    app.expect_none("after the last mention")

    for p in (bob, desktop, dave):
        await p.logout()


if __name__ == "__main__":
    run_scenario(scenario)

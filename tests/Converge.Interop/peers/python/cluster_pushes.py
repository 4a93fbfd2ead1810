"""One account with a session on each of two nodes of one Converge cluster: roster and block-list
pushes made through one node reach the session on the other (RFC 6121 2.1.6, XEP-0191 3.3), and
the block is enforced by the other node at once.

alice logs in to node 1 (--port) and, as a second resource, to node 2 (--n2-port); bob, another
account, logs in to node 2. alice's node-1 session changes her roster and her block list; her
node-2 session must get each push, bob none of them. bob's messages to alice's node-1 resource are
routed by node 2: blocked ones must stop there (bob gets the error), unblocked ones pass.

Usage: cluster_pushes.py --port P1 --n2-port P2 --alice alice:secret --bob bob:secret
"""

import asyncio

from peer import Mailbox, Peer, bare, expect, log, parse_args, credentials, run_scenario


def watch_pushes(peer):
    """Roster and block-list pushes the peer receives, in arrival order."""
    pushes = Mailbox()
    peer.xmpp.add_event_handler("roster_update", lambda iq: pushes.put(("roster", iq)))
    peer.xmpp.add_event_handler("blocked", lambda iq: pushes.put(("block", iq)))
    peer.xmpp.add_event_handler("unblocked", lambda iq: pushes.put(("unblock", iq)))
    return pushes


def roster_items(iq):
    return {str(jid): (item["name"], item["subscription"]) for jid, item in iq["roster"]["items"].items()}


def block_items(iq, kind):
    return sorted(str(j) for j in iq[kind]["items"])


async def scenario():
    args = parse_args(["alice", "bob"], extra=lambda p: p.add_argument("--n2-port", type=int, required=True))
    alice_jid, alice_password = credentials(args, "alice")
    bob_jid, bob_password = credentials(args, "bob")
    carol_jid = "carol@" + alice_jid.split("@")[1]

    alice1 = Peer("alice-n1", alice_jid + "/n1", alice_password, args.host, args.port)
    alice2 = Peer("alice-n2", alice_jid + "/n2", alice_password, args.host, args.n2_port)
    bob = Peer("bob-n2", bob_jid + "/n2", bob_password, args.host, args.n2_port)
    pushes2 = watch_pushes(alice2)
    pushes_bob = watch_pushes(bob)
    await alice1.login(status="alice on node 1")
    await bob.login(status="bob on node 2")

    # alice's node-2 session becomes available first and asks for pushes only afterwards: node 1
    # knows the resource from its presence, and must learn of its interests when they change.
    await alice2.connect()
    log(f"LOGIN alice-n2 jid={alice2.jid} tls={alice2.tls} mechanism={alice2.mechanism}")
    alice2.xmpp.send_presence(pstatus="alice on node 2")
    await alice1.next_presence("her node-2 resource", lambda p: str(p["from"]) == str(alice2.jid) and p["type"] != "unavailable")
    await alice2.roster()
    await alice2.xmpp["xep_0191"].get_blocked(timeout=30)
    await bob.xmpp["xep_0191"].get_blocked(timeout=30)
    # Node 2 queues what it sends node 1 in order: once this message is there, so are the interests.
    alice2.send_message(str(alice1.jid), "interested now")
    await alice1.next_message("the message from her node-2 resource", lambda m: m["body"] == "interested now")

    # bob (node 2) writes to alice's node-1 resource: node 2 checks alice's (empty) block list.
    bob.send_message(str(alice1.jid), "before the block")
    msg = await alice1.next_message("bob's first message", lambda m: bare(m["from"]) == bob_jid)
    expect(msg["body"] == "before the block", f"alice-n1 got {msg['body']!r}")

    # A roster change on node 1 is pushed to the resource on node 2.
    iq = alice1.xmpp.make_iq_set()
    iq["roster"]["items"] = {carol_jid: {"name": "Carol", "subscription": "none", "groups": ["Friends"]}}
    await alice1.iq(iq)
    _, push = await pushes2.take(lambda p: p[0] == "roster" and carol_jid in roster_items(p[1]), "alice-n2: the roster push for carol")
    name, subscription = roster_items(push)[carol_jid]
    expect(name == "Carol" and subscription == "none", f"the roster push says {name!r} {subscription!r}")
    log(f"ROSTER-PUSH alice-n2 got carol name={name} subscription={subscription}")

    # A block on node 1 is pushed to node 2, and node 2 enforces it for what bob sends from there.
    await alice1.xmpp["xep_0191"].block([bob_jid], timeout=30)
    _, push = await pushes2.take(lambda p: p[0] == "block", "alice-n2: the block push")
    expect(block_items(push, "block") == [bob_jid], f"the block push names {block_items(push, 'block')}")
    log(f"BLOCK-PUSH alice-n2 got block {bob_jid}")

    bob.send_message(str(alice1.jid), "after the block")
    error = await bob.errors.take(lambda m: bare(m["from"]) == alice_jid, "bob-n2: the error for the blocked message")
    condition = error["error"]["condition"]
    expect(condition == "service-unavailable", f"the blocked message came back with {condition}")
    await alice1.roster()  # a round trip on node 1 after the error: had the message passed, it would be here
    stray = alice1.messages.find(lambda m: m["body"] == "after the block")
    expect(stray is None, "the blocked message reached alice on node 1")
    log(f"BLOCKED node 2 refused bob's message to alice-n1: {condition}")

    await alice1.xmpp["xep_0191"].unblock([bob_jid], timeout=30)
    _, push = await pushes2.take(lambda p: p[0] == "unblock", "alice-n2: the unblock push")
    expect(block_items(push, "unblock") == [bob_jid], f"the unblock push names {block_items(push, 'unblock')}")
    bob.send_message(str(alice1.jid), "after the unblock")
    msg = await alice1.next_message("bob's message after the unblock", lambda m: m["body"] == "after the unblock")
    log("UNBLOCK-PUSH alice-n2 got unblock, and bob's next message passed")

    # bob, on the same node as alice-n2 and interested in pushes too, got none of alice's.
    await bob.roster()
    foreign = pushes_bob.find(lambda _p: True)
    expect(foreign is None, f"bob got a push of alice's: {foreign and foreign[0]}")
    log("PRIVATE bob got none of alice's pushes")

    await alice1.logout()
    await alice2.logout()
    await bob.logout()


if __name__ == "__main__":
    run_scenario(scenario)

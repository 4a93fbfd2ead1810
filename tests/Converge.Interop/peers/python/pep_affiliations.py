"""PEP node subscriptions and affiliations (XEP-0060 §5.6, §5.7, §8.8.1, §8.9) with slixmpp's xep_0060 plugin.

alice owns a whitelist node (plans) and an open one (board); bob, carol and dave are not her contacts.
--phase grant: bob cannot read plans until alice makes him a member; carol becomes a publisher and reads too;
  dave is an outcast and is refused even on the open node. bob cannot change affiliations (forbidden). The
  owner lists the node's affiliations and subscriptions, bob and alice their own. Then alice revokes bob.
--phase check (after a restart): what alice granted and refused is still in force.

Usage: pep_affiliations.py --port P --phase grant|check --alice a:pw --bob b:pw --carol c:pw --dave d:pw
"""

from slixmpp.exceptions import IqError
from slixmpp.xmlstream import ET

from peer import credentials, expect, log, parse_args, run_scenario
from pep_peer import PepPeer, publish_options

PLANS = "urn:example:plans"
BOARD = "urn:example:board"
NOTE = "urn:example:note"


def note(text):
    element = ET.Element(f"{{{NOTE}}}note")
    element.text = text
    return element


async def readable(peer, owner, node):
    """The number of items peer reads from owner's node, or the error condition (with the pubsub#errors one)."""
    try:
        result = await peer.xmpp["xep_0060"].get_items(owner, node, timeout=30)
    except IqError as error:
        stanza_error = error.iq.xml.find("{jabber:client}error")
        app = [c.tag.split("}")[1] for c in stanza_error if c.tag.startswith("{http://jabber.org/protocol/pubsub#errors}")]
        condition = error.iq["error"]["condition"]
        return f"{condition}/{app[0]}" if app else condition
    return len(result["pubsub"]["items"])


async def node_affiliations(owner_peer, node):
    result = await owner_peer.xmpp["xep_0060"].get_node_affiliations(None, node, timeout=30)
    return sorted((str(a["jid"]), a["affiliation"]) for a in result["pubsub_owner"]["affiliations"])


async def scenario():
    args = parse_args(["alice", "bob", "carol", "dave"], lambda p: p.add_argument("--phase", choices=["grant", "check"], required=True))
    peers = {}
    for name in ("alice", "bob", "carol", "dave"):
        jid, password = credentials(args, name)
        peers[name] = PepPeer(name, jid, password, args.host, args.port, [PLANS] if name == "alice" else [], resource="pc")
        await peers[name].login()
    alice, bob, carol, dave = (peers[n] for n in ("alice", "bob", "carol", "dave"))
    alice_jid = credentials(args, "alice")[0]
    pubsub = alice.xmpp["xep_0060"]

    if args.phase == "grant":
        await pubsub.publish(None, PLANS, id="p1", payload=note("the plan"), options=publish_options(alice.xmpp, access_model="whitelist"), timeout=30)
        await pubsub.publish(None, BOARD, id="b1", payload=note("for everyone"), options=publish_options(alice.xmpp, access_model="open"), timeout=30)
        await alice.next_event("her own plans event (her caps are known)", PLANS, alice_jid)
        before = await readable(bob, alice_jid, PLANS)
        expect(before == "not-allowed/closed-node", f"bob read the whitelist node before being granted: {before}")
        log(f"BEFORE bob plans={before}")

        await pubsub.modify_affiliations(None, PLANS, [(bob.jid.bare, "member"), (carol.jid.bare, "publisher"), (dave.jid.bare, "outcast")], timeout=30)
        await pubsub.modify_affiliations(None, BOARD, [(dave.jid.bare, "outcast")], timeout=30)
        results = {n: await readable(p, alice_jid, PLANS) for n, p in (("bob", bob), ("carol", carol), ("dave", dave))}
        board = {n: await readable(p, alice_jid, BOARD) for n, p in (("carol", carol), ("dave", dave))}
        expect(results == {"bob": 1, "carol": 1, "dave": "forbidden"}, f"after the grants, plans: {results}")
        expect(board == {"carol": 1, "dave": "forbidden"}, f"after the grants, board: {board}")
        log("GRANTED plans bob=1 carol=1 dave=forbidden; board carol=1 dave=forbidden")

        # Hostile: a member is not the owner; neither he nor an outcast can change the list.
        grab, _ = await bob.iq_error(bob.xmpp["xep_0060"].modify_affiliations(alice_jid, PLANS, [(bob.jid.bare, "owner")], timeout=30))
        let_in, _ = await bob.iq_error(bob.xmpp["xep_0060"].modify_affiliations(alice_jid, PLANS, [(dave.jid.bare, "member")], timeout=30))
        peek, _ = await dave.iq_error(dave.xmpp["xep_0060"].get_node_affiliations(alice_jid, PLANS, timeout=30))
        expect((grab, let_in, peek) == ("forbidden", "forbidden", "forbidden"), f"non-owners changing or listing affiliations: {grab} {let_in} {peek}")
        self_owner, _ = await alice.iq_error(pubsub.modify_affiliations(None, PLANS, [(carol.jid.bare, "owner")], timeout=30))
        expect(self_owner == "not-acceptable", f"making carol a second owner: {self_owner}")
        expect(await readable(dave, alice_jid, PLANS) == "forbidden", "dave got in after the hostile requests")
        log(f"HOSTILE bob owner={grab} bob grants dave={let_in} dave lists={peek}; second owner={self_owner}")

        listed = await node_affiliations(alice, PLANS)
        expect(listed == sorted([(alice_jid, "owner"), (bob.jid.bare, "member"), (carol.jid.bare, "publisher"), (dave.jid.bare, "outcast")]), f"node affiliations {listed}")
        log("NODE-AFFILIATIONS " + " ".join(f"{j.split('@')[0]}={a}" for j, a in listed))

        own = await bob.xmpp["xep_0060"].get_affiliations(alice_jid, timeout=30)
        bobs = sorted((a["node"], a["affiliation"]) for a in own["pubsub"]["affiliations"])
        mine = await pubsub.get_affiliations(None, timeout=30)
        alices = sorted((a["node"], a["affiliation"]) for a in mine["pubsub"]["affiliations"])
        expect(bobs == [(PLANS, "member")] and alices == [(BOARD, "owner"), (PLANS, "owner")], f"own affiliations: bob {bobs} alice {alices}")
        log(f"OWN-AFFILIATIONS bob={bobs[0][1]} alice={','.join(a for _n, a in alices)}")

        subs = await pubsub.get_subscriptions(None, timeout=30)
        alice_subs = sorted((s["node"], str(s["jid"]), s["subscription"]) for s in subs["pubsub"]["subscriptions"])
        bob_subs = (await bob.xmpp["xep_0060"].get_subscriptions(alice_jid, timeout=30))["pubsub"]["subscriptions"]
        node_subs = await pubsub.get_node_subscriptions(None, PLANS, timeout=30)
        subscribers = sorted(str(s["jid"]) for s in node_subs["pubsub_owner"]["subscriptions"])
        expect(alice_subs == [(PLANS, str(alice.jid), "subscribed")], f"alice's subscriptions {alice_subs}")
        expect(len(bob_subs) == 0, "bob (not a contact, no +notify) is reported subscribed")
        expect(subscribers == [str(alice.jid)], f"plans subscribers {subscribers}")
        log(f"SUBSCRIPTIONS alice={len(alice_subs)} bob={len(bob_subs)} plans-subscribers={len(subscribers)}")

        await pubsub.modify_affiliations(None, PLANS, [(bob.jid.bare, "none")], timeout=30)
        after = await readable(bob, alice_jid, PLANS)
        expect(after == "not-allowed/closed-node", f"bob after revocation: {after}")
        log(f"REVOKED bob plans={after}")
    else:
        results = {n: await readable(p, alice_jid, PLANS) for n, p in (("bob", bob), ("carol", carol), ("dave", dave))}
        expect(results == {"bob": "not-allowed/closed-node", "carol": 1, "dave": "forbidden"}, f"after the restart, plans: {results}")
        expect(await readable(dave, alice_jid, BOARD) == "forbidden", "dave reads the open board after the restart")
        listed = await node_affiliations(alice, PLANS)
        expect(listed == sorted([(alice_jid, "owner"), (carol.jid.bare, "publisher"), (dave.jid.bare, "outcast")]), f"node affiliations after the restart {listed}")
        log("KEPT carol=publisher dave=outcast bob=none after the restart")

    for peer in peers.values():
        await peer.logout()


if __name__ == "__main__":
    run_scenario(scenario)

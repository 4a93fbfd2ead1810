"""PEP nodes, their configuration and items survive a server crash (SIGKILL) and restart.

--phase publish: alice and bob become contacts; alice publishes a mood, an open OMEMO device list
and a private note, each acknowledged by the server.
--phase check (after the restart): bob logging in gets alice's last mood; carol may read the open
device list but not the mood; alice reads back her private note.

Usage: pep_restart.py --port P --alice alice:secret --bob bob:secret --carol carol:secret --phase publish|check
"""

from slixmpp.xmlstream import ElementBase

from peer import credentials, expect, log, parse_args, run_scenario
from pep_contacts import INTERESTS, subscribe_mutually
from pep_peer import DEVICELIST, EVENT_NS, MOOD, PepPeer, devicelist, publish_options

NOTES = "urn:example:notes"


class Notes(ElementBase):
    name = "notes"
    namespace = NOTES
    plugin_attrib = "notes"
    interfaces = set()


async def scenario():
    args = parse_args(["alice", "bob", "carol"], lambda p: p.add_argument("--phase", choices=["publish", "check"], required=True))
    alice_jid, alice_password = credentials(args, "alice")
    bob_jid, bob_password = credentials(args, "bob")
    carol_jid, carol_password = credentials(args, "carol")
    alice = PepPeer("alice", alice_jid, alice_password, args.host, args.port, INTERESTS, resource="desk")
    bob = PepPeer("bob", bob_jid, bob_password, args.host, args.port, INTERESTS, resource="phone")
    await alice.login()

    if args.phase == "publish":
        await bob.login()
        await subscribe_mutually(alice, bob, alice_jid, bob_jid)
        await bob.logout()
        await alice.xmpp["xep_0107"].publish_mood("excited", timeout=30)
        await alice.xmpp["xep_0060"].publish(None, DEVICELIST, id="current", payload=devicelist([4242]),
                                             options=publish_options(alice.xmpp, access_model="open"), timeout=30)
        note = Notes()
        note.xml.text = "kept across restarts"
        await alice.xmpp["xep_0223"].store(note, node=NOTES, id="current", timeout=30)
        log("PUBLISHED mood devicelist notes")
        await alice.logout()
        return

    await bob.login()
    items = await bob.next_event("alice's last mood after the restart", MOOD, alice_jid)
    expect(items.find(f"{{{EVENT_NS}}}item/{{{MOOD}}}mood/{{{MOOD}}}excited") is not None, "bob's last mood is not 'excited'")
    log("LAST-ITEM bob mood=excited")

    carol = PepPeer("carol", carol_jid, carol_password, args.host, args.port, INTERESTS, resource="laptop")
    await carol.login()
    result = await carol.xmpp["xep_0060"].get_items(alice_jid, DEVICELIST, timeout=30)
    ids = [d.get("id") for d in result.xml.iter("{eu.siacs.conversations.axolotl}device")]
    expect(ids == ["4242"], f"carol read devices {ids}")
    condition, app = await carol.iq_error(carol.xmpp["xep_0060"].get_items(alice_jid, MOOD, timeout=30))
    expect(condition == "not-authorized", f"carol reading the mood after restart: {condition}")
    log(f"ACCESS devicelist=open mood=refused:{condition}")

    own = await alice.xmpp["xep_0223"].retrieve(NOTES, timeout=30)
    texts = [n.text for n in own.xml.iter(f"{{{NOTES}}}notes")]
    expect(texts == ["kept across restarts"], f"alice's private note after restart: {texts}")
    condition, app = await bob.iq_error(bob.xmpp["xep_0060"].get_items(alice_jid, NOTES, timeout=30))
    expect(condition == "not-allowed", f"bob reading the private note: {condition}")
    log("PRIVATE notes kept and still private")

    for peer in (alice, bob, carol):
        await peer.logout()


if __name__ == "__main__":
    run_scenario(scenario)

"""PEP between contacts with real slixmpp clients: alice and bob are contacts, carol is not.

Events reach only clients that advertise NODE+notify (XEP-0115) and may see the node; last items
on coming online; access models, publish-options preconditions, private PEP storage (XEP-0223),
bookmarks both ways (XEP-0402 <-> XEP-0049/0048, XEP-0411), avatar to vCard (XEP-0084 -> XEP-0398).

Usage: pep_contacts.py --port P --alice alice:secret --bob bob:secret --carol carol:secret
"""

import base64
import hashlib

from slixmpp.plugins.xep_0048 import stanza as bookmarks_stanza
from slixmpp.xmlstream import ET, ElementBase

from peer import bare, credentials, expect, log, parse_args, run_scenario
from pep_peer import BOOKMARKS, DEVICELIST, EVENT_NS, MOOD, PepPeer, devicelist, publish_options

INTERESTS = [MOOD, DEVICELIST, BOOKMARKS]


class Notes(ElementBase):
    """A private payload for XEP-0223 storage (the plugin publishes stanza objects)."""
    name = "notes"
    namespace = "urn:example:notes"
    plugin_attrib = "notes"
    interfaces = set()


async def scenario():
    args = parse_args(["alice", "bob", "carol"])
    alice_jid, alice_password = credentials(args, "alice")
    bob_jid, bob_password = credentials(args, "bob")
    carol_jid, carol_password = credentials(args, "carol")

    def new_bob():
        return PepPeer("bob", bob_jid, bob_password, args.host, args.port, INTERESTS, resource="phone")

    alice = PepPeer("alice", alice_jid, alice_password, args.host, args.port, INTERESTS, resource="desk")
    bob = new_bob()
    quiet_bob = PepPeer("bob-quiet", bob_jid, bob_password, args.host, args.port, [], resource="quiet")
    carol = PepPeer("carol", carol_jid, carol_password, args.host, args.port, INTERESTS, resource="laptop")
    for peer in (alice, bob, quiet_bob, carol):
        await peer.login()

    await subscribe_mutually(alice, bob, alice_jid, bob_jid)

    # A mood (presence access, the default): bob's +notify client gets it; alice's own client too.
    await alice.xmpp["xep_0107"].publish_mood("happy", text="sunny", timeout=30)
    items = await bob.next_event("alice's mood", MOOD, alice_jid)
    mood = items.find(f"{{{EVENT_NS}}}item/{{{MOOD}}}mood")
    expect(mood is not None and mood.find(f"{{{MOOD}}}happy") is not None, f"bob's mood event: {ET.tostring(items)}")
    log("EVENT bob mood=happy")
    await alice.next_event("own mood", MOOD, alice_jid)
    log("EVENT alice own mood")
    await carol.assert_no_event_before_chat(alice, "mood (not a contact)")
    await quiet_bob.assert_no_event_before_chat(alice, "mood (no +notify)")

    # An OMEMO device list, open access through publish-options.
    await alice.xmpp["xep_0060"].publish(None, DEVICELIST, id="current", payload=devicelist([1111, 2222]),
                                         options=publish_options(alice.xmpp, access_model="open"), timeout=30)
    items = await bob.next_event("alice's device list", DEVICELIST, alice_jid)
    ids = sorted(d.get("id") for d in items.iter("{eu.siacs.conversations.axolotl}device"))
    expect(ids == ["1111", "2222"], f"bob saw devices {ids}")
    log("EVENT bob devicelist=1111,2222")
    await carol.assert_no_event_before_chat(alice, "devicelist (not a contact)")
    await quiet_bob.assert_no_event_before_chat(alice, "devicelist (no +notify)")

    # Open: carol may read the device list, but not the presence-access mood.
    result = await carol.xmpp["xep_0060"].get_items(alice_jid, DEVICELIST, timeout=30)
    expect(len(result["pubsub"]["items"]) == 1, "carol read no device list")
    log("ITEMS carol devicelist open=readable")
    condition, app = await carol.iq_error(carol.xmpp["xep_0060"].get_items(alice_jid, MOOD, timeout=30))
    expect(condition == "not-authorized" and app == "presence-subscription-required", f"carol reading mood: {condition} {app}")
    log(f"ITEMS carol mood refused={condition}/{app}")
    condition, _ = await carol.iq_error(carol.xmpp["xep_0060"].publish(
        alice_jid, MOOD, payload=ET.Element(f"{{{MOOD}}}mood"), timeout=30))
    expect(condition == "forbidden", f"carol publishing on alice's node: {condition}")
    log(f"PUBLISH carol to alice refused={condition}")

    # A publish-options precondition that conflicts with the node's configuration (XEP-0060 7.1.5).
    condition, app = await alice.iq_error(alice.xmpp["xep_0060"].publish(
        None, DEVICELIST, id="current", payload=devicelist([3333]),
        options=publish_options(alice.xmpp, access_model="whitelist"), timeout=30))
    expect(condition == "conflict" and app == "precondition-not-met", f"precondition: {condition} {app}")
    log(f"PRECONDITION {condition}/{app}")
    items = await bob.xmpp["xep_0060"].get_items(alice_jid, DEVICELIST, timeout=30)
    expect([i["id"] for i in items["pubsub"]["items"]] == ["current"], "the refused publish changed the node")

    # Private PEP storage (XEP-0223): whitelist, only the owner.
    secret = Notes()
    secret.xml.text = "for alice only"
    await alice.xmpp["xep_0223"].store(secret, node="urn:example:notes", id="current", timeout=30)
    own = await alice.xmpp["xep_0223"].retrieve("urn:example:notes", timeout=30)
    expect(len(own["pubsub"]["items"]) == 1, "alice cannot read her private node")
    condition, app = await bob.iq_error(bob.xmpp["xep_0060"].get_items(alice_jid, "urn:example:notes", timeout=30))
    expect(condition == "not-allowed" and app == "closed-node", f"bob reading private node: {condition} {app}")
    log(f"PRIVATE bob refused={condition}/{app}")

    # disco#items: nodes each requester may see.
    bob_nodes = sorted(i[1] for i in (await bob.xmpp["xep_0030"].get_items(jid=alice_jid, timeout=30))["disco_items"]["items"])
    carol_nodes = sorted(i[1] for i in (await carol.xmpp["xep_0030"].get_items(jid=alice_jid, timeout=30))["disco_items"]["items"])
    expect(bob_nodes == sorted([MOOD, DEVICELIST]), f"bob sees nodes {bob_nodes}")
    expect(carol_nodes == [DEVICELIST], f"carol sees nodes {carol_nodes}")
    log(f"NODES bob={','.join(bob_nodes)} carol={','.join(carol_nodes)}")
    info = await bob.xmpp["xep_0030"].get_info(jid=alice_jid, timeout=30)
    expect(("pubsub", "pep", None, None) in info["disco_info"]["identities"], f"no pubsub/pep identity: {info['disco_info']['identities']}")

    # Last item when bob comes back online.
    await bob.logout()
    await alice.xmpp["xep_0107"].publish_mood("sad", timeout=30)
    bob = new_bob()
    await bob.login()
    items = await bob.next_event("alice's last mood on login", MOOD, alice_jid)
    expect(items.find(f"{{{EVENT_NS}}}item/{{{MOOD}}}mood/{{{MOOD}}}sad") is not None, f"last mood: {ET.tostring(items)}")
    log("LAST-ITEM bob mood=sad")

    await bookmarks_both_ways(alice, alice_jid)
    await avatar_to_vcard(alice, bob, alice_jid)

    for peer in (alice, bob, quiet_bob, carol):
        await peer.logout()


async def bookmarks_both_ways(alice, alice_jid):
    # Legacy (XEP-0048 in XEP-0049 private XML) -> native (XEP-0402 items).
    storage = bookmarks_stanza.Bookmarks()
    storage.add_conference("room1@conference.localhost", "alice", name="Room one", autojoin=True)
    await alice.xmpp["xep_0048"].set_bookmarks(storage, method="xep_0049", timeout=30)
    native = await alice.xmpp["xep_0060"].get_items(None, BOOKMARKS, timeout=30)
    entries = {i["id"]: i.xml.find(f"{{{BOOKMARKS}}}conference") for i in native["pubsub"]["items"]}
    expect(list(entries) == ["room1@conference.localhost"], f"native bookmarks {list(entries)}")
    conference = entries["room1@conference.localhost"]
    expect(conference.get("autojoin") == "true" and conference.get("name") == "Room one"
           and conference.findtext(f"{{{BOOKMARKS}}}nick") == "alice", f"native bookmark {ET.tostring(conference)}")
    log("BOOKMARKS legacy->native room1")
    await alice.next_event("own bookmark event", BOOKMARKS, alice_jid)

    # Native (XEP-0402 publish with its publish-options) -> legacy.
    room2 = ET.Element(f"{{{BOOKMARKS}}}conference", name="Room two", autojoin="false")
    ET.SubElement(room2, f"{{{BOOKMARKS}}}nick").text = "al"
    await alice.xmpp["xep_0060"].publish(
        None, BOOKMARKS, id="room2@conference.localhost", payload=room2,
        options=publish_options(alice.xmpp, persist_items="true", max_items="max",
                                send_last_published_item="never", access_model="whitelist"), timeout=30)
    legacy = await alice.xmpp["xep_0048"].get_bookmarks(method="xep_0049", timeout=30)
    rooms = sorted(bare(c["jid"]) for c in legacy["private"]["bookmarks"]["conferences"])
    expect(rooms == ["room1@conference.localhost", "room2@conference.localhost"], f"legacy bookmarks {rooms}")
    log(f"BOOKMARKS native->legacy {','.join(rooms)}")


async def avatar_to_vcard(alice, bob, alice_jid):
    image = bytes(range(256)) * 4
    avatar_id = hashlib.sha1(image).hexdigest()
    await alice.xmpp["xep_0084"].publish_avatar(image, timeout=30)
    await alice.xmpp["xep_0084"].publish_avatar_metadata(
        [{"id": avatar_id, "type": "image/png", "bytes": len(image)}], timeout=30)
    vcard = await bob.xmpp["xep_0054"].get_vcard(alice_jid, timeout=30)
    photo = vcard["vcard_temp"]["PHOTO"]
    expect(photo["TYPE"] == "image/png", f"vCard photo type {photo['TYPE']!r}")
    expect(photo["BINVAL"] == image, "the vCard photo is not the published avatar")
    log(f"AVATAR vcard photo sha1={hashlib.sha1(photo['BINVAL']).hexdigest()} matches={photo['BINVAL'] == image}")


async def subscribe_mutually(alice, bob, alice_jid, bob_jid):
    alice.send_presence(bob_jid, "subscribe")
    await bob.next_presence("alice's request", lambda p: p["type"] == "subscribe" and bare(p["from"]) == alice_jid)
    bob.send_presence(alice_jid, "subscribed")
    bob.send_presence(alice_jid, "subscribe")
    await alice.next_presence("bob's request", lambda p: p["type"] == "subscribe" and bare(p["from"]) == bob_jid)
    alice.send_presence(bob_jid, "subscribed")
    await bob.next_presence("alice's approval", lambda p: p["type"] == "subscribed" and bare(p["from"]) == alice_jid)
    await alice.next_presence("bob's approval", lambda p: p["type"] == "subscribed" and bare(p["from"]) == bob_jid)
    log("SUBSCRIBED alice<->bob")


if __name__ == "__main__":
    run_scenario(scenario)

"""The message archive (XEP-0313 with XEP-0059 paging) through slixmpp's xep_0313 plugin.

alice sends 500 messages to bob (every seventh in thread t-seven, the others in t-main) and pages
through her archive forward and backward, 50 at a time; then she sends 30 to dave (thread t-dave)
and queries by contact ('with') and by thread (the server's {urn:converge:mam}thread form field,
set on slixmpp's query form by hand). bob, online, notes the XEP-0359 stanza-id of each message as
it arrives and compares them with the ids of his own archive.

Every page is printed for the driver to check:
  PAGE <query> <n> size=<k> complete=<true|false> count=<c> bodies=<b1,b2,...>

Usage: archive_pages.py --port P --alice alice:secret --bob bob:secret --dave dave:secret
"""

import asyncio

from slixmpp import JID
from slixmpp.xmlstream.handler import Collector
from slixmpp.xmlstream.matcher import MatchXMLMask

from durable_peer import peer_with, server_round_trip, wait_for
from peer import bare, credentials, expect, log, parse_args, run_scenario

THREAD_FIELD = "{urn:converge:mam}thread"
TO_BOB = 500
TO_DAVE = 30
PAGE_SIZE = 50
MAM = "urn:xmpp:mam:2"


async def scenario():
    args = parse_args(["alice", "bob", "dave"])
    alice_jid, alice_password = credentials(args, "alice")
    bob_jid, bob_password = credentials(args, "bob")
    dave_jid, _ = credentials(args, "dave")

    alice = peer_with("alice", alice_jid, alice_password, args.host, args.port, "xep_0313")
    bob = peer_with("bob", bob_jid, bob_password, args.host, args.port, "xep_0313")
    live = []
    all_live = asyncio.Event()

    def on_bob_message(msg):
        if bare(msg["from"]) == alice_jid and msg["body"]:
            sid = msg.xml.find("{urn:xmpp:sid:0}stanza-id")
            live.append((msg["body"], None if sid is None else (sid.get("by"), sid.get("id"))))
            if len(live) >= TO_BOB:
                all_live.set()

    bob.xmpp.add_event_handler("message", on_bob_message)
    await alice.login()
    await bob.login()

    form = await alice.xmpp["xep_0313"].get_fields(timeout=10)
    fields = sorted(form.get_fields().keys())
    log(f"FORM fields={','.join(fields)}")
    expect(THREAD_FIELD in fields, f"the archive's search form does not offer {THREAD_FIELD}")

    for i in range(TO_BOB):
        send(alice, bob_jid, f"m{i:03}", "t-seven" if i % 7 == 0 else "t-main")
    await server_round_trip(alice)

    await print_pages(alice, "all-forward", alice.xmpp["xep_0313"].retrieve(
        iterator=True, rsm={"max": PAGE_SIZE}))
    await print_pages(alice, "all-backward", alice.xmpp["xep_0313"].retrieve(
        iterator=True, reverse=True, rsm={"max": PAGE_SIZE}))

    for i in range(TO_DAVE):
        send(alice, dave_jid, f"d{i:02}", "t-dave")
    await server_round_trip(alice)

    await print_pages(alice, "with-bob", alice.xmpp["xep_0313"].retrieve(
        with_jid=JID(bob_jid), iterator=True, rsm={"max": PAGE_SIZE}))
    await print_pages(alice, "with-dave", alice.xmpp["xep_0313"].retrieve(
        with_jid=JID(dave_jid), iterator=True, rsm={"max": PAGE_SIZE}))
    await print_pages(alice, "thread-seven", thread_query(alice, "t-seven"))
    await print_pages(alice, "thread-dave", thread_query(alice, "t-dave"))

    await wait_for(all_live, f"bob's {TO_BOB} live messages")
    archived = []
    async for page in bob.xmpp["xep_0313"].retrieve(
            with_jid=JID(alice_jid), iterator=True, rsm={"max": PAGE_SIZE}):
        archived.extend((result_body(m), (bob_jid, m["mam_result"]["id"])) for m in page["mam"]["results"])
    log(f"STANZA-IDS bob live={len(live)} archived={len(archived)} equal={live == archived}")

    await bob.logout()
    await alice.logout()


def send(peer, to, body, thread):
    msg = peer.xmpp.make_message(mto=to, mbody=body, mtype="chat")
    msg["thread"] = thread
    msg.send()


def result_body(message):
    return message["mam_result"]["forwarded"]["stanza"]["body"]


def thread_query(peer, thread):
    """Pages of a query with the thread field on slixmpp's MAM form, collected like the plugin does."""
    xmpp = peer.xmpp
    iq = xmpp.make_iq_set()
    iq["mam"].set_custom_field(THREAD_FIELD, thread)
    collectors = {}

    def pre_cb(query):
        query["mam"]["queryid"] = query["id"]
        mask = f"<message xmlns='jabber:client'><result xmlns='{MAM}' queryid='{query['id']}'/></message>"
        collectors[query["id"]] = Collector(f"thread-results-{query['id']}", MatchXMLMask(mask))
        xmpp.register_handler(collectors[query["id"]])

    def post_cb(result):
        results = collectors.pop(result["id"]).stop()
        result["mam"]["results"] = results
        result["mam_fin"]["results"] = results

    return xmpp["xep_0059"].iterate(iq, "mam", "results", amount=PAGE_SIZE, recv_interface="mam_fin",
                                    pre_cb=pre_cb, post_cb=post_cb)


async def print_pages(peer, label, pages):
    number = 0
    async for page in pages:
        number += 1
        fin = page["mam_fin"]
        bodies = [result_body(m) for m in page["mam"]["results"]]
        log(f"PAGE {label} {number} size={len(bodies)} complete={fin.xml.get('complete', 'false')} "
            f"count={fin['rsm']['count']} bodies={','.join(bodies)}")
    expect(number > 0, f"{peer.name}: the {label} query returned no page")


if __name__ == "__main__":
    run_scenario(scenario)

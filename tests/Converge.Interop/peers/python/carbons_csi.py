"""Two resources of one account with slixmpp: carbons (xep_0280) and client state indication (xep_0352).

alice is on her pc and her phone at once; bob is her contact. Both of alice's resources enable
carbons: each sees what the other sent and received, and a message to the bare JID reaches each
once. Then the phone goes inactive: bob's presence changes are held back from it (the pc sees
them at once) while messages and carbons still reach it at once; when the phone is active again
it gets bob's current presence.

"Not delivered" is proven by round trips, not by waiting: once bob's ping is answered the server
has routed his presence, and the phone's XEP-0198 <r/> (a nonza, which does not make the server
release held presence) is answered after anything the server had queued for it.

Usage: carbons_csi.py --port P --alice alice:secret --bob bob:secret
"""

import asyncio

from durable_peer import ack_round_trip, peer_with, server_round_trip
from peer import STEP_TIMEOUT, Peer, ScenarioFailure, bare, credentials, expect, log, parse_args, run_scenario

CARBONS = "urn:xmpp:carbons:2"


class Seen:
    """What one resource received, in order: ('message'|'sent'|'received'|'presence', detail)."""

    def __init__(self, peer, contact):
        self.peer = peer
        self.items = []
        self._arrived = asyncio.Event()
        xmpp = peer.xmpp
        xmpp.add_event_handler("message", self._on_message)
        xmpp.add_event_handler("carbon_sent", lambda m: self._add("sent", forwarded(m, "sent")))
        xmpp.add_event_handler("carbon_received", lambda m: self._add("received", forwarded(m, "received")))
        xmpp.add_event_handler(
            "presence",
            lambda p: bare(p["from"]) == contact and self._add("presence", p["status"] or p["type"]))

    def _on_message(self, msg):
        if msg.xml.find(f"{{{CARBONS}}}sent") is None and msg.xml.find(f"{{{CARBONS}}}received") is None and msg["body"]:
            self._add("message", msg["body"])

    def _add(self, kind, detail):
        self.items.append((kind, detail))
        self._arrived.set()

    def has(self, kind, detail):
        return (kind, detail) in self.items

    def count(self, kind, detail):
        return self.items.count((kind, detail))

    async def wait(self, kind, detail):
        loop = asyncio.get_running_loop()
        deadline = loop.time() + STEP_TIMEOUT
        while not self.has(kind, detail):
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise ScenarioFailure(f"{self.peer.name}: no {kind} {detail!r}; saw {self.items}")
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), remaining)
            except asyncio.TimeoutError:
                pass


def forwarded(wrapper, direction):
    inner = wrapper.xml.find(f"{{{CARBONS}}}{direction}/{{urn:xmpp:forward:0}}forwarded/{{jabber:client}}message")
    if inner is None:
        return None
    body = inner.find("{jabber:client}body")
    return body.text if body is not None else None


async def scenario():
    args = parse_args(["alice", "bob"])
    alice_jid, alice_password = credentials(args, "alice")
    bob_jid, bob_password = credentials(args, "bob")

    bob = Peer("bob", bob_jid, bob_password, args.host, args.port)
    pc = peer_with("pc", f"{alice_jid}/pc", alice_password, args.host, args.port, "xep_0280", "xep_0352")
    phone = peer_with("phone", f"{alice_jid}/phone", alice_password, args.host, args.port,
                      "xep_0280", "xep_0352", "xep_0198")
    at_bob = Seen(bob, alice_jid)
    at_pc = Seen(pc, bob_jid)
    at_phone = Seen(phone, bob_jid)

    await bob.login(status="bob here")
    await pc.login()
    await phone.login()

    # alice subscribes to bob's presence from her pc; both her resources then see him.
    pc.send_presence(bob_jid, "subscribe")
    await bob.next_presence("alice's subscription request",
                            lambda p: p["type"] == "subscribe" and bare(p["from"]) == alice_jid)
    bob.send_presence(alice_jid, "subscribed")
    await at_pc.wait("presence", "bob here")
    await at_phone.wait("presence", "bob here")
    log("PRESENCE pc and phone see bob 'bob here'")

    await pc.xmpp["xep_0280"].enable(timeout=STEP_TIMEOUT)
    await phone.xmpp["xep_0280"].enable(timeout=STEP_TIMEOUT)
    log("CARBONS enabled on pc and phone")

    pc.send_message(bob_jid, "from the pc")
    await at_bob.wait("message", "from the pc")
    await at_phone.wait("sent", "from the pc")
    log("CARBON-SENT phone got a copy of what the pc sent to bob")

    bob.send_message(f"{alice_jid}/pc", "to the pc")
    await at_pc.wait("message", "to the pc")
    await at_phone.wait("received", "to the pc")
    log("CARBON-RECEIVED phone got a copy of what bob sent to the pc")

    bob.send_message(alice_jid, "to both")
    await at_pc.wait("message", "to both")
    await at_phone.wait("message", "to both")
    await server_round_trip(bob)
    await server_round_trip(pc)
    await server_round_trip(phone)
    duplicates = {
        "pc got 'to both' once": at_pc.count("message", "to both") == 1,
        "phone got 'to both' once": at_phone.count("message", "to both") == 1,
        "no carbon of 'to both'": not (at_pc.has("received", "to both") or at_phone.has("received", "to both")),
        "pc no copy of its own message": not at_pc.has("sent", "from the pc"),
        "pc no copy of what it got directly": not at_pc.has("received", "to the pc"),
    }
    expect(all(duplicates.values()), f"duplicates: {duplicates}; pc saw {at_pc.items}; phone saw {at_phone.items}")
    log("ONCE each resource got each message once, copies only where it was not a recipient")

    expect(phone.xmpp["xep_0352"].enabled, "phone: the server did not offer client state indication")
    phone.xmpp["xep_0352"].send_inactive()
    await ack_round_trip(phone)  # the server has taken <inactive/> in

    await presence_held_back(bob, at_pc, at_phone, phone, "bob in a meeting")
    log("CSI phone inactive: bob's presence held back while the pc saw it")

    bob.send_message(f"{alice_jid}/phone", "urgent")
    await at_phone.wait("message", "urgent")
    pc.send_message(bob_jid, "pc while the phone sleeps")
    await at_phone.wait("sent", "pc while the phone sleeps")
    log("CSI phone inactive: message and carbon delivered at once")

    await presence_held_back(bob, at_pc, at_phone, phone, "bob on coffee", "bob back")
    log("CSI phone inactive: two more presence changes held back")

    phone.xmpp["xep_0352"].send_active()
    await at_phone.wait("presence", "bob back")
    latest = [d for k, d in at_phone.items if k == "presence"][-1]
    expect(latest == "bob back", f"phone: the last presence of bob it has is {latest!r}")
    log(f"CSI phone active: got bob's current presence (superseded one delivered too: {at_phone.has('presence', 'bob on coffee')})")

    await phone.logout()
    await pc.logout()
    await bob.logout()


async def presence_held_back(bob, at_pc, at_phone, phone, *statuses):
    for status in statuses:
        bob.xmpp.send_presence(pstatus=status)
    await server_round_trip(bob)  # his presence has been routed to both of alice's resources
    await at_pc.wait("presence", statuses[-1])
    await ack_round_trip(phone)   # answered after anything already queued for the phone
    leaked = [s for s in statuses if at_phone.has("presence", s)]
    expect(not leaked, f"phone is inactive but got bob's presence {leaked}; phone saw {at_phone.items}")


if __name__ == "__main__":
    run_scenario(scenario)

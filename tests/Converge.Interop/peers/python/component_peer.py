"""External components (XEP-0114) with slixmpp's ComponentXMPP against Converge.

The component echo.DOMAIN connects to the component listener with its shared secret; alice (a
client) talks to bot@echo.DOMAIN and queries the component's disco#info; the component answers from
its own domain. Then the component tries to speak as alice and as a user of another domain: both
are refused back to it, and bob, who gets a marker sent after them, gets nothing before it. A
component with a wrong secret, one for an unknown domain and a second connection for the domain
already connected are all refused with stream errors.

Usage: component_peer.py --port P --component-port C --secret S --alice a:pw --bob b:pw
"""

import asyncio

import slixmpp
from slixmpp.exceptions import IqError

from durable_peer import server_round_trip
from peer import STEP_TIMEOUT, Mailbox, Peer, ScenarioFailure, credentials, expect, log, parse_args, run_scenario


def extra(parser):
    parser.add_argument("--component-port", type=int, required=True)
    parser.add_argument("--secret", required=True)


class Component:
    def __init__(self, jid, secret, host, port):
        self.xmpp = slixmpp.ComponentXMPP(jid, secret, host, port)
        self.xmpp.register_plugin("xep_0030")
        self.messages = Mailbox()
        self.errors = Mailbox()
        self.started = asyncio.Event()
        self.ended = asyncio.Event()
        self.stream_error = None
        self.xmpp.add_event_handler("session_start", lambda _e: self.started.set())
        self.xmpp.add_event_handler("disconnected", lambda _e: self.ended.set())
        self.xmpp.add_event_handler("stream_error", self._on_stream_error)
        self.xmpp.add_event_handler("message", self._on_message)
        self.xmpp.add_event_handler("message_error", self.errors.put)

    def _on_stream_error(self, error):
        self.stream_error = error["condition"]

    def _on_message(self, msg):
        if msg["type"] != "error":
            self.messages.put(msg)

    async def start(self):
        """True once the handshake is accepted; False when the server ends the stream instead."""
        self.xmpp.connect()
        started = asyncio.ensure_future(self.started.wait())
        ended = asyncio.ensure_future(self.ended.wait())
        done, pending = await asyncio.wait({started, ended}, timeout=STEP_TIMEOUT, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        if not done:
            raise ScenarioFailure("component: neither accepted nor refused")
        return self.started.is_set()


def condition(msg):
    """The error condition, read from the XML: slixmpp's Error plugin looks for <error/> in jabber:client,
    while on a component stream it is (rightly) in jabber:component:accept."""
    for error in msg.xml:
        if error.tag.endswith("}error"):
            for child in error:
                if child.tag.startswith("{urn:ietf:params:xml:ns:xmpp-stanzas}") and not child.tag.endswith("}text"):
                    return child.tag.split("}")[1]
    return None


async def refused_component(jid, secret, args, label):
    component = Component(jid, secret, args.host, args.component_port)
    accepted = await component.start()
    expect(not accepted, f"{label}: the component was accepted")
    if not component.ended.is_set():
        await asyncio.wait_for(component.ended.wait(), STEP_TIMEOUT)
    log(f"{label} refused={component.stream_error}")


async def scenario():
    args = parse_args(["alice", "bob"], extra)
    alice_jid, alice_password = credentials(args, "alice")
    bob_jid, bob_password = credentials(args, "bob")
    service = f"echo.{args.domain}"
    bot = f"bot@{service}"

    component = Component(service, args.secret, args.host, args.component_port)
    expect(await component.start(), "component: handshake refused")
    log(f"COMPONENT {service} connected")
    component.xmpp["xep_0030"].add_identity(category="component", itype="generic", name="Echo")

    alice = Peer("alice", alice_jid, alice_password, args.host, args.port)
    await alice.login()
    bob = Peer("bob", bob_jid, bob_password, args.host, args.port)
    await bob.login()

    items = await alice.xmpp["xep_0030"].get_items(jid=args.domain, timeout=STEP_TIMEOUT)
    log(f"DISCO items has-component={service in [str(i[0]) for i in items['disco_items']['items']]}")

    # A client reaches the component; the component answers from its own domain.
    alice.send_message(bot, "ping the bot")
    got = await component.messages.take(lambda m: m["body"] == "ping the bot", "component: alice's message")
    log(f"COMPONENT got from={got['from'].bare} to={got['to']}")
    component.xmpp.send_message(mto=got["from"], mfrom=bot, mbody="echo: ping the bot", mtype="chat")
    reply = await alice.next_message("the bot's answer")
    log(f"ALICE got from={reply['from']} body={reply['body']}")

    info = await alice.xmpp["xep_0030"].get_info(jid=service, timeout=STEP_TIMEOUT)
    log(f"DISCO component identity={[i[3] for i in info['disco_info']['identities']]}")

    # The component may not speak for anyone outside its domain.
    for spoofed in (alice_jid, "mallory@evil.example", f"room@conference.{args.domain}"):
        component.xmpp.send_message(mto=bob_jid, mfrom=spoofed, mbody=f"spoofed as {spoofed}", mtype="chat")
        error = await component.errors.take(lambda m: True, f"component: the error for speaking as {spoofed}")
        log(f"SPOOF as {spoofed.split('@')[1]} refused={condition(error)}")
    component.xmpp.send_message(mto=bob_jid, mfrom=bot, mbody="marker", mtype="chat")
    first = await bob.next_message("the marker")
    expect(first["body"] == "marker", f"bob got {first['body']!r} from {first['from']} before the marker")
    log(f"BOB first={first['body']} from={first['from']}")

    # Doors that stay shut.
    await refused_component(service, args.secret + "x", args, "WRONG-SECRET")
    await refused_component(f"other.{args.domain}", args.secret, args, "UNKNOWN-DOMAIN")
    await refused_component(service, args.secret, args, "SECOND-CONNECTION")

    # The component is gone: stanzas to its domain bounce.
    component.xmpp.disconnect()
    await asyncio.wait_for(component.ended.wait(), STEP_TIMEOUT)
    await server_round_trip(alice)
    alice.send_message(bot, "anyone there?")
    bounced = await alice.errors.take(lambda m: True, "alice: the bounce for the gone component")
    log(f"GONE bounce={bounced['error']['condition']}")

    await alice.logout()
    await bob.logout()


if __name__ == "__main__":
    run_scenario(scenario)

"""Push notifications (XEP-0357) with slixmpp clients: alice's phone registers with an app server.

dave logs in as dave@DOMAIN/app and plays the app server: he takes every pubsub publish sent to him,
prints what the notification says, and answers it (a result, or item-not-found once he is told the
device is gone). Debian's slixmpp has no xep_0357 plugin, so alice's enable/disable IQs are built
by hand from the XEP's examples; everything else is slixmpp.

alice/phone connects through the driver's flaky link (--port) with stream management; everyone else
directly (--direct-port). The driver cuts the link when told CUT, waits for the server to keep the
session for resumption and says DETACHED; later it waits for the session's end and says ENDED; at
the end it waits for alice/desktop's end and says DESKTOP-ENDED.

Usage: push_app_server.py --port LINK --direct-port SERVER --alice a:pw --bob b:pw --carol c:pw --dave d:pw
"""

import asyncio
import xml.etree.ElementTree as ET

from slixmpp.exceptions import IqError
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath

from durable_peer import add_direct_port, command, peer_with, server_round_trip
from peer import STEP_TIMEOUT, Peer, ScenarioFailure, credentials, expect, log, parse_args, run_scenario

PUSH = "urn:xmpp:push:0"
PUBSUB = "http://jabber.org/protocol/pubsub"
DATA = "jabber:x:data"
PUBLISH_OPTIONS = "http://jabber.org/protocol/pubsub#publish-options"
SECRET = "eruio234vzxc2kla-91"
NODE = "yxs32uqsflafdk3iuqo"


class AppServer:
    """dave/app: answers pubsub publishes and keeps what they carried."""

    def __init__(self, peer):
        self.peer = peer
        self.notifications = asyncio.Queue()
        self.refuse = False
        peer.xmpp.register_handler(Callback(
            "push publish", MatchXPath(f"{{jabber:client}}iq/{{{PUBSUB}}}pubsub"), self._on_publish))

    def _on_publish(self, iq):
        pubsub = iq.xml.find(f"{{{PUBSUB}}}pubsub")
        publish = pubsub.find(f"{{{PUBSUB}}}publish")
        form = publish.find(f"{{{PUBSUB}}}item/{{{PUSH}}}notification/{{{DATA}}}x")
        fields = {f.get("var"): (f.findtext(f"{{{DATA}}}value") or "") for f in form.findall(f"{{{DATA}}}field")} if form is not None else {}
        options = pubsub.find(f"{{{PUBSUB}}}publish-options/{{{DATA}}}x")
        secret = None
        if options is not None:
            for f in options.findall(f"{{{DATA}}}field"):
                if f.get("var") == "secret":
                    secret = f.findtext(f"{{{DATA}}}value")
        self.notifications.put_nowait({
            "from": str(iq["from"]), "node": publish.get("node"), "fields": fields, "secret": secret})
        if self.refuse:
            reply = iq.reply(clear=True)
            reply["type"] = "error"
            reply["error"]["type"] = "cancel"
            reply["error"]["condition"] = "item-not-found"
            reply.send()
        else:
            iq.reply(clear=True).send()

    async def next(self, description):
        try:
            return await asyncio.wait_for(self.notifications.get(), STEP_TIMEOUT)
        except asyncio.TimeoutError as error:
            raise ScenarioFailure(f"dave: no notification for {description}") from error

    def expect_none(self, description):
        expect(self.notifications.empty(), f"dave: a notification came {description}: {self.notifications.get_nowait() if not self.notifications.empty() else ''}")
        log(f"NO-PUSH {description}")


def enable_iq(peer, service, node, secret=None, to=None):
    iq = peer.xmpp.make_iq_set(ito=to)
    enable = ET.Element(f"{{{PUSH}}}enable", jid=service, node=node)
    if secret is not None:
        form = ET.SubElement(enable, f"{{{DATA}}}x", type="submit")
        for name, value in (("FORM_TYPE", PUBLISH_OPTIONS), ("secret", secret)):
            field = ET.SubElement(form, f"{{{DATA}}}field", var=name)
            ET.SubElement(field, f"{{{DATA}}}value").text = value
    iq.append(enable)
    return iq


def disable_iq(peer, service, node):
    iq = peer.xmpp.make_iq_set()
    iq.append(ET.Element(f"{{{PUSH}}}disable", jid=service, node=node))
    return iq


def describe(n):
    f = n["fields"]
    return (f"PUSH node={n['node'] == NODE} form={f.get('FORM_TYPE')} count={f.get('message-count')} "
            f"sender={f.get('last-message-sender', '').split('/')[0]} body={f.get('last-message-body', 'none')} "
            f"secret={n['secret'] == SECRET} from={n['from']}")


async def settle(*peers):
    """Everything each peer sent has been routed, and everything routed to dave has arrived."""
    for p in peers:
        await server_round_trip(p)


async def scenario():
    args = parse_args(["alice", "bob", "carol", "dave"], extra=add_direct_port)
    alice_jid, alice_password = credentials(args, "alice")
    bob_jid, bob_password = credentials(args, "bob")
    carol_jid, carol_password = credentials(args, "carol")
    dave_jid, dave_password = credentials(args, "dave")
    app_jid = dave_jid + "/app"

    dave = Peer("dave", app_jid, dave_password, args.host, args.direct_port)
    app = AppServer(dave)
    await dave.login()
    bob = Peer("bob", bob_jid, bob_password, args.host, args.direct_port)
    await bob.login()
    carol = Peer("carol", carol_jid, carol_password, args.host, args.direct_port)
    await carol.login()
    phone = peer_with("alice-phone", alice_jid + "/phone", alice_password, args.host, args.port, "xep_0198")
    await phone.login()

    info = await phone.xmpp["xep_0030"].get_info(jid=alice_jid, timeout=STEP_TIMEOUT)
    log(f"DISCO account push={PUSH in info['disco_info']['features']}")
    await phone.iq(enable_iq(phone, app_jid, NODE, SECRET))
    log("ENABLED alice/phone")

    # A stranger cannot register a phone of his own for alice's messages.
    try:
        await enable_iq(carol, carol_jid + "/x", "steal", to=alice_jid).send(timeout=STEP_TIMEOUT)
        raise ScenarioFailure("carol enabled push on alice's account")
    except IqError as error:
        log(f"HOSTILE enable on alice by carol refused={error.iq['error']['condition']}")

    # Online: the message is delivered, nothing goes to the app server.
    bob.send_message(alice_jid, "while online")
    await phone.next_message("bob's message while online")
    await settle(bob, dave)
    app.expect_none("while alice's phone is online")

    # The phone's connection dies; the server keeps its session for resumption.
    log("CUT-ME")
    await command("DETACHED")
    bob.send_message(alice_jid, "one")
    log(describe(await app.next("a message while the phone is detached")))
    bob.send_message(alice_jid, "two")
    log(describe(await app.next("a second message while the phone is detached")))

    # The resumption window passes: the phone is gone for good, still notified.
    await command("ENDED")
    bob.send_message(alice_jid, "three")
    log(describe(await app.next("a message while alice is offline")))

    # The app server no longer knows the device: the registration is dropped after its error.
    app.refuse = True
    bob.send_message(alice_jid, "four")
    log(describe(await app.next("the message the app server refuses")))
    await settle(dave)
    bob.send_message(alice_jid, "five")
    await settle(bob, dave)
    app.expect_none("after the app server's item-not-found")
    app.refuse = False

    # Enabled again from a new client, then disabled: nothing more.
    desktop = Peer("alice-desktop", alice_jid + "/desktop", alice_password, args.host, args.direct_port)
    await desktop.login()
    await desktop.iq(enable_iq(desktop, app_jid, NODE, SECRET))
    await desktop.iq(disable_iq(desktop, app_jid, NODE))
    log("DISABLED alice")
    await desktop.logout()
    log("DESKTOP-GONE")
    await command("DESKTOP-ENDED")
    bob.send_message(alice_jid, "six")
    await settle(bob, dave)
    app.expect_none("after disable")

    for p in (bob, carol, dave):
        await p.logout()


if __name__ == "__main__":
    run_scenario(scenario)

"""A slixmpp Peer with the PEP plugins (XEP-0060, 0163, 0115, 0084, 0223, 0049, 0048, 0107, 0054)
and a mailbox of the PEP events (headline messages with a pubsub#event) it receives."""

from slixmpp.exceptions import IqError, IqTimeout
from slixmpp.xmlstream import ET
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath

from peer import Peer, Mailbox, ScenarioFailure, bare, expect, log

EVENT_NS = "http://jabber.org/protocol/pubsub#event"
MOOD = "http://jabber.org/protocol/mood"
DEVICELIST = "eu.siacs.conversations.axolotl.devicelist"
OMEMO_NS = "eu.siacs.conversations.axolotl"
BOOKMARKS = "urn:xmpp:bookmarks:1"
PUBLISH_OPTIONS = "http://jabber.org/protocol/pubsub#publish-options"


class PepPeer(Peer):
    """interests: the nodes this client advertises NODE+notify for in its entity capabilities."""

    # The mood, avatar and bookmark plugins add their own NODE+notify features when loaded.
    PLUGINS = ("xep_0004", "xep_0054", "xep_0060", "xep_0115", "xep_0163")
    NOTIFYING_PLUGINS = ("xep_0084", "xep_0107", "xep_0223", "xep_0049", "xep_0048")

    def __init__(self, name, jid, password, host, port, interests=(), resource=None):
        super().__init__(name, jid if resource is None else f"{jid}/{resource}", password, host, port)
        for plugin in self.PLUGINS + (self.NOTIFYING_PLUGINS if interests else ()):
            self.xmpp.register_plugin(plugin)
        self.interests = list(interests)
        self.events = Mailbox()
        # xep_0060 takes event messages for itself (no 'message' event): match them directly.
        self.xmpp.register_handler(Callback(
            f"PEP events of {name}",
            MatchXPath(f"{{jabber:client}}message/{{{EVENT_NS}}}event"),
            self.events.put))

    async def login(self, status=None):
        if not await self.connect():
            raise ScenarioFailure(f"{self.name}: authentication failed: {self.auth_failure}")
        log(f"LOGIN {self.name} jid={self.jid}")
        for node in self.interests:
            self.xmpp["xep_0030"].add_feature(f"{node}+notify")
        # The caps 'ver' must include the +notify features before the initial presence carries it.
        await self.xmpp["xep_0115"].update_caps(broadcast=False)
        await self.roster()
        self.xmpp.send_presence(pstatus=status)

    async def next_event(self, description, node, from_jid=None):
        def matches(msg):
            items = msg.xml.find(f"{{{EVENT_NS}}}event/{{{EVENT_NS}}}items")
            return items is not None and items.get("node") == node \
                and (from_jid is None or bare(msg["from"]) == from_jid)
        msg = await self.events.take(matches, f"{self.name}: {description}")
        return msg.xml.find(f"{{{EVENT_NS}}}event/{{{EVENT_NS}}}items")

    async def iq_error(self, future):
        """Awaits an IQ expected to fail; returns (condition, pubsub#errors condition)."""
        try:
            await future
        except IqError as error:
            stanza_error = error.iq.xml.find("{jabber:client}error")
            app = [child.tag.split("}")[1] for child in stanza_error
                   if child.tag.startswith("{http://jabber.org/protocol/pubsub#errors}")]
            return error.iq["error"]["condition"], (app[0] if app else None)
        except IqTimeout as error:
            raise ScenarioFailure(f"{self.name}: no answer") from error
        raise ScenarioFailure(f"{self.name}: the request succeeded but should have failed")

    async def assert_no_event_before_chat(self, sender, description):
        """A chat sent after the publish answer arrives after any event of that publish (one ordered
        stream per session): once it is here, an event that did not come never will."""
        token = f"marker {description}"
        sender.xmpp.send_message(mto=self.jid, mbody=token, mtype="chat")
        await self.next_message(f"marker {description}", lambda m: m["body"] == token)
        stray = self.events.find(lambda _m: True)
        expect(stray is None, f"{self.name} received an event it must not: {stray}")
        log(f"NO-EVENT {self.name} {description}")


def publish_options(xmpp, **fields):
    form = xmpp["xep_0004"].stanza.Form()
    form["type"] = "submit"
    form.add_field(var="FORM_TYPE", ftype="hidden", value=PUBLISH_OPTIONS)
    for var, value in fields.items():
        form.add_field(var=f"pubsub#{var}", value=value)
    return form


def devicelist(ids):
    element = ET.Element(f"{{{OMEMO_NS}}}list")
    for device in ids:
        ET.SubElement(element, f"{{{OMEMO_NS}}}device", id=str(device))
    return element


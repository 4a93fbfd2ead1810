"""A CPM user's XMPP client (slixmpp), remote-controlled by the SMS and email interworking tests.

The xunit driver plays the legacy side itself (simulated handsets; swaks and aiosmtpd for mail),
so it steers this client step by step: one JSON command per stdin line, and one JSON line on
stdout for everything the client receives and for each finished command.

Commands (stdin):
  {"op": "send", "to": J, "body": B, "thread": T?, "id": I?, "receipt": true?}
  {"op": "burst", "to": J, "bodies": [B, ...]}   one chat message per body, back to back
  {"op": "session", "to": J, "action": "request|accept|decline|terminate", "thread": T?, "id": I?}
      a XEP-0155 stanza session negotiation message (feature-neg data form, type normal)
  {"op": "archive", "with": J?}   the whole XEP-0313 archive (with one contact), paged by slixmpp
  {"op": "sync"}                   an IQ ping round trip: everything sent before has been routed
  {"op": "presence", "to": J?, "type": T?, "status": S?}   presence: broadcast, directed or a subscription stanza
  {"op": "block"|"unblock", "jids": [J, ...]}   a XEP-0191 block / unblock IQ, awaited (done has "answer")
  {"op": "raw", "xml": X}          X written to the stream as it is, for stanzas no library sends
  {"op": "quit"}
Lines (stdout):
  {"event": "ready", "jid": ...}
  {"event": "message", "from", "to", "type", "id", "body", "subject", "thread", "received", "session", "error"}
      session: {"form": "form|submit", "accept": "...", "terminate": "..."} for XEP-0155
      error: {"condition", "text", "type", "app"} for type="error"; app: "{ns}name" of an application-specific condition
  {"event": "presence", "from", "to", "type", "status"}
  {"event": "iq", "from", "to", "type", "id", "payload"}   every IQ result or error (payload: "{ns}name" or null)
  {"event": "archive", "items": [{"from", "to", "body", "thread"}]}
  {"event": "done", "op": ..., "n": k}   (k counts the commands, from 1)

Usage: cpm_client.py --port P --user mary:secret [--domain localhost]
"""

import asyncio
import json
import sys
import threading
import xml.etree.ElementTree as ET

from slixmpp import JID
from slixmpp.exceptions import IqError
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import StanzaPath

from durable_peer import peer_with, server_round_trip
from peer import ScenarioFailure, credentials, parse_args, run_scenario

CLIENT = "jabber:client"
FEATURE_NEG = "http://jabber.org/protocol/feature-neg"
DATA_FORMS = "jabber:x:data"
SSN = "urn:xmpp:ssn"
RECEIPTS = "urn:xmpp:receipts"
MAM = "urn:xmpp:mam:2"
STANZA_ERRORS = "urn:ietf:params:xml:ns:xmpp-stanzas"


def emit(**fields):
    print(json.dumps(fields), flush=True)


def stdin_lines():
    """stdin lines on an asyncio queue, read on a daemon thread; None at end of input."""
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    def read():
        for line in sys.stdin:
            loop.call_soon_threadsafe(queue.put_nowait, line)
        loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=read, daemon=True).start()
    return queue


def session_form(action):
    """The <feature/> of a XEP-0155 request, accept, decline or terminate."""
    feature = ET.Element(f"{{{FEATURE_NEG}}}feature")
    x = ET.SubElement(feature, f"{{{DATA_FORMS}}}x", type="form" if action == "request" else "submit")

    def field(var, value, kind=None):
        f = ET.SubElement(x, f"{{{DATA_FORMS}}}field", var=var)
        if kind:
            f.set("type", kind)
        ET.SubElement(f, f"{{{DATA_FORMS}}}value").text = value
        return f

    field("FORM_TYPE", SSN, "hidden")
    if action == "request":
        ET.SubElement(field("accept", "true", "boolean"), f"{{{DATA_FORMS}}}required")
    elif action in ("accept", "decline"):
        field("accept", "1" if action == "accept" else "0")
    elif action == "terminate":
        field("terminate", "1")
    else:
        raise ScenarioFailure(f"unknown session action {action}")
    return feature


def read_session(xml):
    x = xml.find(f"{{{FEATURE_NEG}}}feature/{{{DATA_FORMS}}}x")
    if x is None:
        return None
    values = {}
    for f in x.findall(f"{{{DATA_FORMS}}}field"):
        value = f.find(f"{{{DATA_FORMS}}}value")
        values[f.get("var")] = None if value is None else value.text
    return {"form": x.get("type"), "accept": values.get("accept"), "terminate": values.get("terminate")}


def child_text(xml, name):
    element = xml.find(f"{{{CLIENT}}}{name}")
    return None if element is None else (element.text or "")


def describe(msg):
    xml = msg.xml
    received = xml.find(f"{{{RECEIPTS}}}received")
    error = None
    if msg["type"] == "error":
        error = {"condition": msg["error"]["condition"], "text": msg["error"]["text"], "type": msg["error"]["type"],
                 "app": application_condition(xml)}
    return dict(
        event="message",
        **{"from": str(msg["from"]), "to": str(msg["to"]), "type": msg["type"], "id": msg["id"] or None,
           "body": child_text(xml, "body"), "subject": child_text(xml, "subject"),
           "thread": msg["thread"] or None,
           "received": None if received is None else received.get("id"),
           "session": read_session(xml), "error": error})


def application_condition(xml):
    """The application-specific condition of a stanza error (RFC 6120 §8.3.4), e.g. XEP-0191's <blocked/>."""
    error = xml.find(f"{{{CLIENT}}}error")
    if error is None:
        return None
    return next((child.tag for child in error if not child.tag.startswith(f"{{{STANZA_ERRORS}}}")), None)


def describe_presence(pres):
    return {"event": "presence", "from": str(pres["from"]), "to": str(pres["to"]), "type": pres["type"],
            "status": pres["status"] or None}


def describe_iq(iq):
    payload = next(iter(iq.xml), None)
    if payload is not None and payload.tag == f"{{{CLIENT}}}error":
        payload = None
    return {"event": "iq", "from": str(iq["from"]), "to": str(iq["to"]), "type": iq["type"], "id": iq["id"] or None,
            "payload": None if payload is None else payload.tag}


async def block_list_change(peer, command):
    """A XEP-0191 block or unblock IQ; returns "result" or the error condition."""
    plugin = peer.xmpp["xep_0191"]
    try:
        await (plugin.block(command["jids"]) if command["op"] == "block" else plugin.unblock(command["jids"]))
        return "result"
    except IqError as error:
        return error.iq["error"]["condition"]


async def scenario():
    args = parse_args(["user"])
    jid, password = credentials(args, "user")
    peer = peer_with("client", jid, password, args.host, args.port, "xep_0313")

    def on_message(msg):
        if msg.xml.find(f"{{{MAM}}}result") is None:  # archive results are collected by the query
            emit(**describe(msg))

    peer.xmpp.register_handler(Callback("every message", StanzaPath("message"), on_message))
    peer.xmpp.register_handler(Callback("every presence", StanzaPath("presence"), lambda p: emit(**describe_presence(p))))
    # Results and errors only: a catch-all for get/set would keep slixmpp from answering unknown ones.
    for kind in ("result", "error"):
        peer.xmpp.register_handler(Callback(f"every iq {kind}", StanzaPath(f"iq@type={kind}"), lambda i: emit(**describe_iq(i))))
    await peer.login()
    emit(event="ready", jid=str(peer.jid))
    # A stream the server ends shows here, so a test can tell a kept session from a new one.
    peer.xmpp.add_event_handler("disconnected", lambda _: emit(event="disconnected"))

    commands = stdin_lines()
    count = 0
    while True:
        line = await commands.get()
        if line is None:
            break
        if not line.strip():
            continue
        command = json.loads(line)
        count += 1
        op = command["op"]
        if op == "quit":
            break
        if op == "send":
            msg = peer.xmpp.make_message(mto=command["to"], mbody=command["body"], mtype="chat")
            stamp(msg, command)
            if command.get("receipt"):
                msg.xml.append(ET.Element(f"{{{RECEIPTS}}}request"))
            msg.send()
        elif op == "burst":
            for body in command["bodies"]:
                peer.xmpp.send_message(mto=command["to"], mbody=body, mtype="chat")
        elif op == "session":
            msg = peer.xmpp.make_message(mto=command["to"], mtype="normal")
            stamp(msg, command)
            msg.xml.append(session_form(command["action"]))
            msg.send()
        elif op == "archive":
            emit(event="archive", items=await archive(peer, command.get("with")))
        elif op == "sync":
            await server_round_trip(peer)
        elif op == "presence":
            peer.xmpp.send_presence(pto=command.get("to"), ptype=command.get("type"), pstatus=command.get("status"))
        elif op in ("block", "unblock"):
            emit(event="done", op=op, n=count, answer=await block_list_change(peer, command))
            continue
        elif op == "raw":
            peer.xmpp.send_raw(command["xml"])
        else:
            raise ScenarioFailure(f"unknown command {op}")
        emit(event="done", op=op, n=count)

    await peer.logout()


def stamp(msg, command):
    if command.get("id"):
        msg["id"] = command["id"]
    if command.get("thread"):
        msg["thread"] = command["thread"]


async def archive(peer, with_jid):
    items = []
    pages = peer.xmpp["xep_0313"].retrieve(
        with_jid=JID(with_jid) if with_jid else None, iterator=True, rsm={"max": 50})
    async for page in pages:
        for result in page["mam"]["results"]:
            stanza = result["mam_result"]["forwarded"]["stanza"]
            items.append({"from": str(stanza["from"]), "to": str(stanza["to"]), "body": stanza["body"],
                          "thread": stanza["thread"] or None})
    return items


if __name__ == "__main__":
    run_scenario(scenario)

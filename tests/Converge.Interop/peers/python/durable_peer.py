"""Helpers shared by the durability scenarios (archive, stream management, crash, carbons/CSI).

Builds on peer.py: slixmpp Peers with extra plugins, commands from the xunit driver on stdin,
and barriers that prove "nothing more is on its way" by a round trip instead of a sleep.
"""

import asyncio
import itertools
import sys
import threading

from slixmpp.xmlstream.handler import Waiter
from slixmpp.xmlstream.matcher import MatchXPath

from peer import Peer, ScenarioFailure, STEP_TIMEOUT, expect

SM = "urn:xmpp:sm:3"
COMMAND_TIMEOUT = 45.0

_round_trips = itertools.count()


def add_direct_port(parser):
    """--direct-port: the server's own client port, for peers that must not go through the flaky link."""
    parser.add_argument("--direct-port", type=int, required=True)


def stdin_line():
    """The next stdin line, read on a daemon thread so a silent driver cannot hang interpreter exit."""
    loop = asyncio.get_running_loop()
    line = loop.create_future()

    def read():
        text = sys.stdin.readline()
        loop.call_soon_threadsafe(lambda: line.done() or line.set_result(text))

    threading.Thread(target=read, daemon=True).start()
    return line


async def command(expected):
    """Waits for the driver to write `expected` on stdin."""
    try:
        line = await asyncio.wait_for(stdin_line(), COMMAND_TIMEOUT)
    except asyncio.TimeoutError as error:
        raise ScenarioFailure(f"the driver never said {expected}") from error
    expect(line.strip() == expected, f"expected {expected} on stdin, got {line!r}")


def peer_with(name, jid, password, host, port, *plugins):
    """A Peer with additional slixmpp plugins registered before it connects."""
    peer = Peer(name, jid, password, host, port)
    for plugin in plugins:
        peer.xmpp.register_plugin(plugin)
    return peer


async def server_round_trip(peer):
    """An IQ ping to the server. Its answer is queued behind everything the server already routed to this
    session, and the server handles a session's stanzas in order: when it returns, everything this peer
    sent before has been routed, and everything routed to it before has arrived."""
    iq = peer.xmpp.make_iq_get(ito=peer.jid.domain)
    iq.enable("ping")
    await peer.iq(iq)


async def ack_round_trip(peer):
    """XEP-0198 <r/> answered by <a/>: a round trip that is not a stanza, so that a server holding
    stanzas back for an inactive client (XEP-0352) is not made to release them by it."""
    waiter = Waiter(f"ack-round-trip-{next(_round_trips)}", MatchXPath(f"{{{SM}}}a"))
    peer.xmpp.register_handler(waiter)
    peer.xmpp["xep_0198"].request_ack()
    answer = await waiter.wait(timeout=STEP_TIMEOUT)
    expect(answer is not False and answer is not None, f"{peer.name}: no <a/> answered <r/>")
    return int(answer["h"])


async def wait_for(event, description, unless=None, unless_means=None, timeout=20.0):
    """Waits for an asyncio.Event; fails at once if the `unless` event is set first."""
    waiting = asyncio.ensure_future(event.wait())
    watches = {waiting}
    if unless is not None:
        watches.add(asyncio.ensure_future(unless.wait()))
    done, pending = await asyncio.wait(watches, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    if event.is_set():
        return
    if unless is not None and unless.is_set():
        raise ScenarioFailure(f"instead of {description}: {unless_means}")
    raise ScenarioFailure(f"timed out waiting for {description}")


def delayed(msg):
    return msg.xml.find("{urn:xmpp:delay}delay") is not None

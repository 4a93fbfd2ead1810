"""A slixmpp client wrapped for scripted interop scenarios.

Each scenario script logs in one or more Peers, drives them step by step and
prints one line per checked fact, so the xunit driver can assert on stdout.
Any failed expectation raises ScenarioFailure; run_scenario turns that into a
non-zero exit code.
"""

import argparse
import asyncio
import logging
import ssl
import sys
import traceback

import slixmpp
from slixmpp.exceptions import IqError, IqTimeout

# Generous: CI machines are shared and a step waits for an event, it does not measure speed.
STEP_TIMEOUT = 30.0


class ScenarioFailure(Exception):
    pass


def log(line):
    print(line, flush=True)


def parse_args(users, extra=None):
    """--host/--port of the client (STARTTLS) listener, --domain, and user:password per role."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--domain", default="localhost")
    for user in users:
        parser.add_argument(f"--{user}", required=True, help="localpart:password")
    if extra:
        extra(parser)
    parser.add_argument("--debug", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.ERROR,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        stream=sys.stderr,
    )
    return args


def credentials(args, role):
    localpart, _, password = getattr(args, role).partition(":")
    return f"{localpart}@{args.domain}", password


class Peer:
    """One logged-in (or attempting) slixmpp client with queues of what it received."""

    def __init__(self, name, jid, password, host, port):
        self.name = name
        self.host = host
        self.port = port
        self.xmpp = slixmpp.ClientXMPP(jid, password)
        # The test server's certificate is self-signed for "localhost".
        self.xmpp.ssl_context.check_hostname = False
        self.xmpp.ssl_context.verify_mode = ssl.CERT_NONE
        # Subscription requests are answered by the scenario, not by the library.
        self.xmpp.auto_authorize = None
        self.xmpp.auto_subscribe = False
        for plugin in ("xep_0030", "xep_0191", "xep_0199", "xep_0203"):
            self.xmpp.register_plugin(plugin)

        self.tls = False
        self.mechanism = None
        self.auth_failure = None
        self.messages = Mailbox()
        self.errors = Mailbox()
        self.presences = Mailbox()
        self.session_started = asyncio.Event()
        self.auth_failed = asyncio.Event()
        self.disconnected = asyncio.Event()

        self.xmpp.add_event_handler("tls_success", self._on_tls)
        self.xmpp.add_event_handler("auth_success", self._on_auth_success)
        self.xmpp.add_event_handler("failed_auth", self._on_failed_auth)
        self.xmpp.add_event_handler("session_start", self._on_session_start)
        self.xmpp.add_event_handler("disconnected", self._on_disconnected)
        self.xmpp.add_event_handler("message", self._on_message)
        self.xmpp.add_event_handler("message_error", self._on_message_error)
        self.xmpp.add_event_handler("presence", self._on_presence)

    @property
    def jid(self):
        return self.xmpp.boundjid

    # --- events -------------------------------------------------------------

    def _on_tls(self, _event):
        self.tls = True

    def _on_auth_success(self, _stanza):
        self.mechanism = self.xmpp["feature_mechanisms"].mech.name

    def _on_failed_auth(self, stanza):
        self.mechanism = self.xmpp["feature_mechanisms"].mech.name
        self.auth_failure = stanza["condition"]
        self.auth_failed.set()
        # Do not let slixmpp fall back to a weaker mechanism: one attempt is the test.
        self.xmpp.abort()

    async def _on_session_start(self, _event):
        self.session_started.set()

    def _on_disconnected(self, _event):
        self.disconnected.set()

    def _on_message(self, msg):
        if msg["type"] in ("chat", "normal"):
            self.messages.put(msg)

    def _on_message_error(self, msg):
        self.errors.put(msg)

    def _on_presence(self, pres):
        self.presences.put(pres)

    # --- actions ------------------------------------------------------------

    async def connect(self):
        """Connects over STARTTLS and waits until the session starts or authentication fails."""
        self.xmpp.connect(address=(self.host, self.port), force_starttls=True)
        started = asyncio.ensure_future(self.session_started.wait())
        failed = asyncio.ensure_future(self.auth_failed.wait())
        done, pending = await asyncio.wait(
            {started, failed}, timeout=STEP_TIMEOUT, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        if not done:
            raise ScenarioFailure(f"{self.name}: neither session start nor SASL failure within {STEP_TIMEOUT}s")
        return self.session_started.is_set()

    async def login(self, status=None):
        """Logs in with STARTTLS + SCRAM, fetches the roster, sends initial presence."""
        if not await self.connect():
            raise ScenarioFailure(f"{self.name}: authentication failed: {self.auth_failure}")
        expect(self.tls, f"{self.name}: stream was not secured with STARTTLS")
        expect(self.mechanism is not None and self.mechanism.startswith("SCRAM-"),
               f"{self.name}: authenticated with {self.mechanism}, expected a SCRAM mechanism")
        log(f"LOGIN {self.name} jid={self.jid} tls={self.tls} mechanism={self.mechanism}")
        roster = await self.roster()
        log(f"ROSTER {self.name} {format_roster(roster)}")
        self.xmpp.send_presence(pstatus=status)
        return roster

    async def roster(self):
        """The full roster as {bare jid: (subscription, ask)} (no roster versioning)."""
        iq = self.xmpp.make_iq_get()
        iq.enable("roster")
        result = await self.iq(iq)
        return {str(jid): (item["subscription"], item["ask"] or "")
                for jid, item in result["roster"]["items"].items()}

    async def iq(self, iq):
        try:
            return await iq.send(timeout=STEP_TIMEOUT)
        except IqError as error:
            raise ScenarioFailure(
                f"{self.name}: iq {iq['type']} failed: {error.iq['error']['condition']}") from error
        except IqTimeout as error:
            raise ScenarioFailure(f"{self.name}: iq {iq['type']} got no answer") from error

    def send_presence(self, to, kind):
        self.xmpp.send_presence(pto=to, ptype=kind)

    def send_message(self, to, body):
        self.xmpp.send_message(mto=to, mbody=body, mtype="chat")

    async def next_message(self, description, predicate=lambda _m: True):
        return await self.messages.take(predicate, f"{self.name}: {description}")

    async def next_presence(self, description, predicate):
        return await self.presences.take(predicate, f"{self.name}: {description}")

    async def logout(self):
        self.xmpp.disconnect(wait=2.0)
        try:
            await asyncio.wait_for(self.disconnected.wait(), STEP_TIMEOUT)
        except asyncio.TimeoutError as error:
            raise ScenarioFailure(f"{self.name}: did not disconnect") from error


def bare(jid):
    return str(slixmpp.JID(jid).bare)


def expect(condition, message):
    if not condition:
        raise ScenarioFailure(message)


class Mailbox:
    """Received stanzas in arrival order; a scenario takes the first one matching what it waits for.

    Stanzas that do not match stay for later steps: the server may legitimately interleave
    stanzas (say, a presence between two subscription stanzas) in an order the script did
    not wait for first.
    """

    def __init__(self):
        self._items = []
        self._arrived = asyncio.Event()

    def put(self, item):
        self._items.append(item)
        self._arrived.set()

    def find(self, predicate):
        """Removes and returns the earliest matching item, or None."""
        for index, item in enumerate(self._items):
            if predicate(item):
                return self._items.pop(index)
        return None

    async def take(self, predicate, description, timeout=STEP_TIMEOUT):
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            item = self.find(predicate)
            if item is not None:
                return item
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise ScenarioFailure(f"timed out waiting for {description}")
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), remaining)
            except asyncio.TimeoutError:
                pass


def format_roster(roster):
    if not roster:
        return "(empty)"
    return " ".join(f"{jid}={sub}{'+ask' if ask else ''}" for jid, (sub, ask) in sorted(roster.items()))


def run_scenario(scenario):
    """Runs the coroutine; exit code 0 only when it finished without a failed expectation."""
    try:
        asyncio.run(scenario())
    except ScenarioFailure as failure:
        log(f"FAIL {failure}")
        sys.exit(1)
    except Exception:  # an unexpected library error is a failure too, with its trace
        traceback.print_exc()
        log("FAIL unexpected exception")
        sys.exit(2)
    log("PASS")
    sys.exit(0)

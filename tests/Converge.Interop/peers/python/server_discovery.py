"""What a client learns about the server beyond its features, with slixmpp: XEP-0157 contact
addresses in the server's disco#info and XEP-0215 STUN/TURN services with time-limited TURN
credentials, which this script checks the way coturn does (HMAC-SHA1 of the username under the
shared secret, username = expiry:user).

Usage: server_discovery.py --port P --alice a:pw --turn-secret S
"""

import base64
import hashlib
import hmac
import time
import xml.etree.ElementTree as ET

from slixmpp.exceptions import IqError

from peer import STEP_TIMEOUT, Peer, credentials, expect, log, parse_args, run_scenario

EXTDISCO = "urn:xmpp:extdisco:2"


def extra(parser):
    parser.add_argument("--turn-secret", required=True)


def services_iq(peer, domain, payload):
    iq = peer.xmpp.make_iq_get(ito=domain)
    iq.append(payload)
    return iq


async def scenario():
    args = parse_args(["alice"], extra)
    alice_jid, alice_password = credentials(args, "alice")
    alice = Peer("alice", alice_jid, alice_password, args.host, args.port)
    await alice.login()

    info = await alice.xmpp["xep_0030"].get_info(jid=args.domain, timeout=STEP_TIMEOUT)
    forms = [f for f in info["disco_info"].xml.findall("{jabber:x:data}x")]
    contacts = {}
    for form in forms:
        fields = {f.get("var"): [v.text for v in f.findall("{jabber:x:data}value")] for f in form.findall("{jabber:x:data}field")}
        if fields.get("FORM_TYPE") == ["http://jabber.org/network/serverinfo"]:
            contacts = {k: v for k, v in fields.items() if k != "FORM_TYPE"}
    for name in sorted(contacts):
        log(f"CONTACT {name}={','.join(contacts[name])}")
    log(f"FEATURE extdisco={EXTDISCO in info['disco_info']['features']}")

    result = await alice.iq(services_iq(alice, args.domain, ET.Element(f"{{{EXTDISCO}}}services")))
    services = result.xml.find(f"{{{EXTDISCO}}}services")
    for s in services.findall(f"{{{EXTDISCO}}}service"):
        log(f"SERVICE {s.get('type')} {s.get('host')}:{s.get('port')}/{s.get('transport')} restricted={s.get('restricted')}")
        if s.get("username"):
            username, password = s.get("username"), s.get("password")
            expiry, _, user = username.partition(":")
            expected = base64.b64encode(hmac.new(args.turn_secret.encode(), username.encode(), hashlib.sha1).digest()).decode()
            lifetime = int(expiry) - time.time()
            log(f"CREDENTIALS user={user} hmac-ok={password == expected} expires-in-hours={round(lifetime / 3600)} expires-attr={bool(s.get('expires'))}")

    only_stun = await alice.iq(services_iq(alice, args.domain, ET.Element(f"{{{EXTDISCO}}}services", type="stun")))
    log(f"FILTER stun={[s.get('host') for s in only_stun.xml.find(f'{{{EXTDISCO}}}services')]}")

    credentials_request = ET.Element(f"{{{EXTDISCO}}}credentials")
    ET.SubElement(credentials_request, f"{{{EXTDISCO}}}service", host="turn.localhost", type="turn")
    answer = await alice.iq(services_iq(alice, args.domain, credentials_request))
    service = answer.xml.find(f"{{{EXTDISCO}}}credentials/{{{EXTDISCO}}}service")
    log(f"CREDENTIALS-IQ user={service.get('username').partition(':')[2]}")

    unknown = ET.Element(f"{{{EXTDISCO}}}credentials")
    ET.SubElement(unknown, f"{{{EXTDISCO}}}service", host="nowhere.localhost", type="turn")
    try:
        await services_iq(alice, args.domain, unknown).send(timeout=STEP_TIMEOUT)
        log("UNKNOWN answered")
    except IqError as error:
        log(f"UNKNOWN refused={error.iq['error']['condition']}")

    await alice.logout()


if __name__ == "__main__":
    run_scenario(scenario)

"""HTTP File Upload (XEP-0363) with slixmpp's xep_0363 plugin and aiohttp, against Converge.

alice finds the upload service, uploads a file and GETs it back; sends bob the link (XEP-0066);
asks for a slot over the size limit and over her quota; PUTs what a slot does not allow.
With --after-restart she only checks that her quota still counts what she uploaded before.

Usage: upload.py --port P --alice alice:secret --bob bob:secret --max M --quota Q [--after-restart]
"""

import hashlib
import io
import os

import aiohttp
from slixmpp.exceptions import IqError

from peer import Peer, ScenarioFailure, expect, log, parse_args, credentials, run_scenario

OOB = "jabber:x:oob"
UPLOAD = "urn:xmpp:http:upload:0"


def extra(parser):
    parser.add_argument("--max", type=int, required=True)
    parser.add_argument("--quota", type=int, required=True)
    parser.add_argument("--after-restart", action="store_true")


async def scenario():
    args = parse_args(["alice", "bob"], extra)
    alice_jid, alice_password = credentials(args, "alice")
    bob_jid, bob_password = credentials(args, "bob")
    alice = Peer("alice", alice_jid, alice_password, args.host, args.port)
    alice.xmpp.register_plugin("xep_0363")
    await alice.login()
    upload = alice.xmpp["xep_0363"]

    service, max_size = await discover(alice, args.domain)
    log(f"SERVICE {service}")
    # Debian's slixmpp cannot run its own discovery on Python 3.11 (get_info_from_domain hands
    # coroutines to asyncio.wait): tell the plugin what disco found, as find_upload_service would.
    upload.upload_service = service
    upload.max_file_size = max_size

    if args.after_restart:
        await refused(upload, service, "after.bin", args.max, "QUOTA-AFTER-RESTART")
        await alice.logout()
        return

    bob = Peer("bob", bob_jid, bob_password, args.host, args.port)
    await bob.login()

    # A real upload through the plugin (it reads the limit from disco#info and PUTs with aiohttp).
    content = os.urandom(args.max // 2)
    url = await upload.upload_file("photo.png", size=len(content), content_type="image/png",
                                   input_file=io.BytesIO(content), domain=service, timeout=30)
    log(f"MAX-FROM-DISCO {upload.max_file_size}")
    async with aiohttp.ClientSession() as http:
        async with http.get(url) as response:
            body = await response.read()
            log(f"GET status={response.status} identical={body == content} type={response.headers.get('Content-Type')} "
                f"disposition={response.headers.get('Content-Disposition', '').split(';')[0]} "
                f"nosniff={response.headers.get('X-Content-Type-Options')} cors={response.headers.get('Access-Control-Allow-Origin')}")
    log(f"URL {url}")
    log(f"SHA256 {hashlib.sha256(content).hexdigest()}")

    # The link as clients send it: the body and XEP-0066 out-of-band data.
    message = alice.xmpp.make_message(mto=bob_jid, mbody=url, mtype="chat")
    message.append(oob(url))
    message.send()
    got = await bob.next_message("alice's file link")
    got_url = got.xml.find(f"{{{OOB}}}x/{{{OOB}}}url")
    log(f"BOB-GOT oob={got_url is not None and got_url.text == url}")

    # What a slot does not allow.
    slot = await upload.request_slot(service, "notes.txt", 10, content_type="text/plain", timeout=30)
    put = slot["http_upload_slot"]["put"]["url"]
    get = slot["http_upload_slot"]["get"]["url"]
    async with aiohttp.ClientSession() as http:
        unknown = await status(http.put(put.replace("/upload/", "/upload/x", 1), data=b"0123456789", headers={"Content-Type": "text/plain"}))
        wrong_size = await status(http.put(put, data=b"0123456789A", headers={"Content-Type": "text/plain"}))
        wrong_type = await status(http.put(put, data=b"0123456789", headers={"Content-Type": "text/html"}))
        ok = await status(http.put(put, data=b"0123456789", headers={"Content-Type": "text/plain"}))
        again = await status(http.put(put, data=b"0123456789", headers={"Content-Type": "text/plain"}))
        log(f"PUT unknown={unknown} wrong-size={wrong_size} wrong-type={wrong_type} ok={ok} again={again}")
        async with http.get(get) as response:
            log(f"GET-TEXT body={(await response.read()).decode()} disposition={response.headers.get('Content-Disposition', '').split(';')[0]}")
        async with http.options(put, headers={"Origin": "http://elsewhere.example", "Access-Control-Request-Method": "PUT"}) as response:
            log(f"PREFLIGHT status={response.status} methods={response.headers.get('Access-Control-Allow-Methods')} "
                f"origin={response.headers.get('Access-Control-Allow-Origin')}")

    await refused(upload, service, "huge.bin", args.max + 1, "TOO-LARGE")

    # Slots of max size until the quota says no; granted slots count until their lifetime is over.
    granted = 0
    while True:
        try:
            await upload.request_slot(service, f"part{granted}.bin", args.max, timeout=30)
            granted += 1
            expect(granted * args.max <= args.quota, f"alice: granted {granted} slots of {args.max}, past her quota {args.quota}")
        except IqError as error:
            log(f"QUOTA granted={granted} condition={error.iq['error']['condition']} type={error.iq['error']['type']}")
            break

    await bob.logout()
    await alice.logout()


async def discover(peer, domain):
    """disco#items of the domain, then disco#info of each: the store/file item with the upload feature."""
    disco = peer.xmpp["xep_0030"]
    items = await disco.get_items(jid=domain, timeout=30)
    for item in items["disco_items"]["items"]:
        info = await disco.get_info(jid=item[0], timeout=30)
        identities = info["disco_info"]["identities"]
        if any(i[0] == "store" and i[1] == "file" for i in identities) and UPLOAD in info["disco_info"]["features"]:
            for form in info["disco_info"].iterables:
                values = form["values"]
                if values.get("FORM_TYPE") == [UPLOAD]:
                    return item[0], int(values["max-file-size"])
    raise ScenarioFailure("no upload service with a max-file-size in disco")


async def refused(upload, service, name, size, label):
    try:
        await upload.request_slot(service, name, size, timeout=30)
    except IqError as error:
        limit = error.iq.xml.find(f".//{{{UPLOAD}}}file-too-large/{{{UPLOAD}}}max-file-size")
        log(f"{label} condition={error.iq['error']['condition']} max-file-size={limit.text if limit is not None else None}")
        return
    log(f"{label} granted")


async def status(request):
    async with request as response:
        return response.status


def oob(url):
    from xml.etree import ElementTree as ET
    x = ET.Element(f"{{{OOB}}}x")
    ET.SubElement(x, f"{{{OOB}}}url").text = url
    return x


if __name__ == "__main__":
    run_scenario(scenario)

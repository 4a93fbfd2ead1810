"""A slixmpp user blocks a spammer with a XEP-0377 report (slixmpp's xep_0377 plugin), and
a second user sends the same report as the current form of the XEP (urn:xmpp:reporting:1).

Usage: spam_report.py --port P --alice alice:pw --carol carol:pw [--domain localhost]
"""

from slixmpp.xmlstream import ET

from peer import Peer, credentials, expect, log, parse_args, run_scenario


async def scenario():
    args = parse_args(["alice", "carol"])
    alice = Peer("alice", *credentials(args, "alice"), args.host, args.port)
    alice.xmpp.register_plugin("xep_0377")
    carol = Peer("carol", *credentials(args, "carol"), args.host, args.port)
    await alice.login()
    await carol.login()

    features = (await alice.xmpp["xep_0030"].get_info(jid=args.domain, timeout=30))["disco_info"]["features"]
    expect("urn:xmpp:reporting:1" in features, f"the server does not advertise urn:xmpp:reporting:1: {features}")
    log("DISCO reporting advertised")

    # slixmpp's plugin: <report xmlns='urn:xmpp:reporting:0'><spam/><text/></report> inside <block/>.
    iq = alice.xmpp.make_iq_set()
    iq["block"]["items"] = {"spammer@spam.example"}
    iq["block"]["report"]["spam"] = True
    iq["block"]["report"]["text"] = "Buy cheap pills"
    await alice.iq(iq)
    log("BLOCKED alice spammer@spam.example with a spam report")

    # The current form, built by hand: slixmpp has no plugin for it yet.
    iq = carol.xmpp.make_iq_set()
    block = ET.Element("{urn:xmpp:blocking}block")
    item = ET.SubElement(block, "{urn:xmpp:blocking}item", jid="troll@spam.example")
    report = ET.SubElement(item, "{urn:xmpp:reporting:1}report", reason="urn:xmpp:reporting:abuse")
    ET.SubElement(report, "{urn:xmpp:reporting:1}text").text = "Insults"
    iq.append(block)
    await carol.iq(iq)
    log("BLOCKED carol troll@spam.example with an abuse report")

    blocked = await alice.xmpp["xep_0191"].get_blocked(timeout=30)
    expect("spammer@spam.example" in {str(j) for j in blocked["blocklist"]["items"]}, "the reported JID is not on alice's block list")
    log("BLOCKLIST alice holds spammer@spam.example")
    await alice.logout()
    await carol.logout()


if __name__ == "__main__":
    run_scenario(scenario)

"""A hostile peer: a user of the other provider's server "answers" what our user never asked.

Usage: unsolicited_replies.py --home HOST:PORT:DOMAIN:USER:PASSWORD --away HOST:PORT:DOMAIN:USER:PASSWORD
"home" is the Converge user, "away" the user of the other provider's server (Prosody), whose
client writes raw stanzas its server forwards as they are: an IQ result with a roster payload and
an error message to home's full JID, then a chat message. home sees every stanza it receives
(an input filter, before slixmpp drops what it does not expect) and must see only the chat
message. A genuine answer (disco#info from the other server) still reaches home.
Prints one line per checked fact and PASS at the end (see peers/python/peer.py).
"""

import asyncio
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))

from cross_provider import home_and_away  # noqa: E402
from peer import bare, expect, log, run_scenario  # noqa: E402

# How long home listens after the chat message for anything that overtook or trails it.
QUIET_SECONDS = 2.0


async def scenario():
    home, away = home_and_away()
    home_jid, away_jid = str(home.jid.bare), str(away.jid.bare)
    away_domain = away.jid.domain

    received = []

    def seen(stanza):
        # Every top-level element passes here, stream features and SASL too: look at the raw 'from'.
        sender = stanza.xml.get("from", "")
        if sender.split("/", 1)[0].rsplit("@", 1)[-1] == away_domain:
            received.append(stanza)
        return stanza

    home.xmpp.add_filter("in", seen)
    await home.login(status="home at her desk")
    await away.login(status="away, up to no good")

    # A request of home's is answered across the interconnection, as ever.
    info = home.xmpp.make_iq_get(queryxmlns="http://jabber.org/protocol/disco#info", ito=away_domain)
    answer = await home.iq(info)
    features = len(answer["disco_info"]["features"])
    expect(features > 0, f"disco#info from {away_domain} listed no features")
    log(f"ANSWERED home disco#info from {answer['from']} with {features} features")
    received.clear()

    target = str(home.jid)
    away.xmpp.send_raw(
        f"<iq type='result' id='never-asked' to='{target}'>"
        f"<query xmlns='jabber:iq:roster'><item jid='{away_jid}' subscription='both' name='trust me'/></query></iq>")
    away.xmpp.send_raw(
        f"<message type='error' id='never-sent' to='{target}'><body>your account is locked, log in at evil.example</body>"
        "<error type='cancel'><undefined-condition xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>")
    log("SENT away an iq result and an error message home never asked for")
    away.send_message(home_jid, "after the forgeries")

    message = await home.next_message("away's chat message", lambda m: bare(m["from"]) == away_jid)
    expect(message["body"] == "after the forgeries", f"home received {message['body']!r}")
    await asyncio.sleep(QUIET_SECONDS)
    kinds = [f"{s.xml.tag.split('}')[-1]}/{s.xml.get('type', '')}" for s in received]
    expect(kinds == ["message/chat"], f"home received {kinds} from {away_domain}, expected only the chat message")
    log("ONLY home received only the chat message")

    await home.logout()
    await away.logout()


if __name__ == "__main__":
    run_scenario(scenario)

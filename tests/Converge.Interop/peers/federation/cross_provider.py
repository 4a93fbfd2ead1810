"""Seed 000 across two providers: a user of each, on different servers, add each other,
see each other's presence and chat both ways in order.

Usage: cross_provider.py --home HOST:PORT:DOMAIN:USER:PASSWORD --away HOST:PORT:DOMAIN:USER:PASSWORD
"home" is the Converge user, "away" the user of the other provider's server. Prints one line
per checked fact and PASS at the end (see peers/python/peer.py).
"""

import argparse
import logging
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))

from peer import Peer, bare, expect, format_roster, log, run_scenario  # noqa: E402

MESSAGE_COUNT = 10


def home_and_away():
    """The two Peers named by --home and --away (HOST:PORT:DOMAIN:USER:PASSWORD), not logged in yet."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", required=True)
    parser.add_argument("--away", required=True)
    parser.add_argument("--debug", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.ERROR, stream=sys.stderr)

    def peer(name, text):
        host, port, domain, user, password = text.split(":", 4)
        return Peer(name, f"{user}@{domain}", password, host, int(port))

    return peer("home", args.home), peer("away", args.away)


async def scenario():
    home, away = home_and_away()
    home_jid, away_jid = str(home.jid.bare), str(away.jid.bare)
    await home.login(status="home at her desk")
    await away.login(status="away on the road")

    # home asks; away approves and asks back; home approves (RFC 6121 section 3).
    home.send_presence(away_jid, "subscribe")
    request = await away.next_presence(
        "subscription request from home",
        lambda p: p["type"] == "subscribe" and bare(p["from"]) == home_jid)
    log(f"SUBSCRIBE-REQUEST away from={bare(request['from'])}")
    away.send_presence(home_jid, "subscribed")
    away.send_presence(home_jid, "subscribe")
    await home.next_presence("away's approval", lambda p: p["type"] == "subscribed" and bare(p["from"]) == away_jid)
    log("SUBSCRIBED home by=away")
    await home.next_presence("subscription request from away", lambda p: p["type"] == "subscribe" and bare(p["from"]) == away_jid)
    log(f"SUBSCRIBE-REQUEST home from={away_jid}")
    home.send_presence(away_jid, "subscribed")
    await away.next_presence("home's approval", lambda p: p["type"] == "subscribed" and bare(p["from"]) == home_jid)
    log("SUBSCRIBED away by=home")

    log(f"ROSTER home {format_roster(await home.roster())}")
    log(f"ROSTER away {format_roster(await away.roster())}")

    # Presence both ways: each sees the other available, then a change of status.
    seen = await home.next_presence(
        "away's presence", lambda p: bare(p["from"]) == away_jid and p["type"] == "available")
    log(f"PRESENCE home sees away available status='{seen['status']}'")
    seen = await away.next_presence(
        "home's presence", lambda p: bare(p["from"]) == home_jid and p["type"] == "available")
    log(f"PRESENCE away sees home available status='{seen['status']}'")
    away.xmpp.send_presence(pshow="away", pstatus="away in a tunnel")
    seen = await home.next_presence(
        "away's new status", lambda p: bare(p["from"]) == away_jid and p["show"] == "away")
    log(f"PRESENCE home sees away show=away status='{seen['status']}'")

    # Messages both ways, in order.
    for sender, receiver, receiver_jid, sender_jid in ((home, away, away_jid, home_jid), (away, home, home_jid, away_jid)):
        for i in range(MESSAGE_COUNT):
            sender.send_message(receiver_jid, f"{sender.name} {i}")
        bodies = []
        for i in range(MESSAGE_COUNT):
            message = await receiver.next_message(f"message {i} from {sender.name}", lambda m: bare(m["from"]) == sender_jid)
            bodies.append(message["body"])
        expected = [f"{sender.name} {i}" for i in range(MESSAGE_COUNT)]
        expect(bodies == expected, f"{receiver.name} received {bodies}, expected {expected}")
        log(f"ORDERED {receiver.name} received {MESSAGE_COUNT} messages from {sender.name} in order")

    await home.logout()
    seen = await away.next_presence("home going offline", lambda p: bare(p["from"]) == home_jid and p["type"] == "unavailable")
    log("PRESENCE away sees home unavailable")
    await away.logout()


if __name__ == "__main__":
    run_scenario(scenario)

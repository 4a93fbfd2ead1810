"""A steady load for a dashboard to show: --sender writes to --receiver every 50 ms until killed.

Both log in and stay online; with --sms the sender first writes one SMS to that number. Prints READY
once both are in, then LOAD n every 100 messages sent.

Usage: message_load.py --port P --sender carol:pw --receiver dave:pw [--sms +E164] [--domain localhost]
"""

import asyncio

from peer import Peer, bare, credentials, log, parse_args, run_scenario

INTERVAL = 0.05


async def scenario():
    args = parse_args(["sender", "receiver"], extra=lambda p: p.add_argument("--sms"))
    sender_jid, sender_password = credentials(args, "sender")
    receiver_jid, receiver_password = credentials(args, "receiver")
    sender = Peer("sender", sender_jid, sender_password, args.host, args.port)
    receiver = Peer("receiver", receiver_jid, receiver_password, args.host, args.port)
    await sender.login()
    await receiver.login()
    if args.sms:
        sender.send_message(f"{args.sms}@{args.domain}", "to a phone the SMSC cannot reach yet")
    log("READY")
    sent = 0
    while not sender.disconnected.is_set():
        sender.send_message(receiver_jid, f"load #{sent}")
        sent += 1
        await asyncio.sleep(INTERVAL)
        # Drain what arrived so the mailbox does not grow without bound.
        while receiver.messages.find(lambda m: bare(m["from"]) == sender_jid) is not None:
            pass
        if sent % 100 == 0:
            log(f"LOAD {sent}")


if __name__ == "__main__":
    run_scenario(scenario)

"""A logged-in user whom an operator disconnects: prints READY, then how the stream ended.

Usage: kicked_session.py --port P --user alice:pw [--domain localhost]
"""

import asyncio

from peer import Peer, ScenarioFailure, credentials, log, parse_args, run_scenario

WAIT = 90


async def scenario():
    args = parse_args(["user"])
    jid, password = credentials(args, "user")
    peer = Peer("user", jid, password, args.host, args.port)
    condition = asyncio.get_running_loop().create_future()
    peer.xmpp.add_event_handler(
        "stream_error", lambda error: condition.done() or condition.set_result(error["condition"]))
    await peer.login()
    log("READY")
    try:
        await asyncio.wait_for(peer.disconnected.wait(), WAIT)
    except asyncio.TimeoutError as error:
        raise ScenarioFailure(f"still connected after {WAIT}s") from error
    log(f"KICKED condition={condition.result() if condition.done() else 'none'}")
    log("PASS")


if __name__ == "__main__":
    run_scenario(scenario)

"""Two logged-in users who must not notice another client misbehaving.

Logs in carol and dave and prints READY, then waits for a line on stdin (the driver
writes GO after it has abused the server on other connections); then checks both
sessions are still up and that a message from carol still reaches dave.

Usage: bystanders.py --port P --carol carol:secret --dave dave:secret [--domain localhost]
"""

import asyncio
import sys
import threading

from peer import Peer, bare, credentials, expect, log, parse_args, run_scenario, ScenarioFailure

GO_TIMEOUT = 40.0


def stdin_line():
    """The next stdin line, read on a daemon thread so a silent driver cannot hang interpreter exit."""
    loop = asyncio.get_running_loop()
    line = loop.create_future()

    def read():
        text = sys.stdin.readline()
        loop.call_soon_threadsafe(lambda: line.done() or line.set_result(text))

    threading.Thread(target=read, daemon=True).start()
    return line


async def scenario():
    args = parse_args(["carol", "dave"])
    carol_jid, carol_password = credentials(args, "carol")
    dave_jid, dave_password = credentials(args, "dave")
    carol = Peer("carol", carol_jid, carol_password, args.host, args.port)
    dave = Peer("dave", dave_jid, dave_password, args.host, args.port)
    await carol.login(status="carol watching")
    await dave.login(status="dave watching")
    log("READY")

    try:
        go = await asyncio.wait_for(stdin_line(), GO_TIMEOUT)
    except asyncio.TimeoutError as error:
        raise ScenarioFailure("the driver never said GO") from error
    expect(go.strip() == "GO", f"expected GO on stdin, got {go!r}")

    expect(not carol.disconnected.is_set(), "carol's session was closed")
    expect(not dave.disconnected.is_set(), "dave's session was closed")
    log("STILL-CONNECTED carol dave")

    carol.send_message(dave_jid, "still here?")
    msg = await dave.next_message("carol's message", lambda m: bare(m["from"]) == carol_jid)
    expect(msg["body"] == "still here?", f"dave got {msg['body']!r}")
    log("DELIVERED dave from carol")

    await carol.logout()
    await dave.logout()


if __name__ == "__main__":
    run_scenario(scenario)

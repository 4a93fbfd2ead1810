"""A login with a wrong password must fail with the SASL condition not-authorized.

Usage: wrong_password.py --port P --user alice:not-her-password [--domain localhost]
"""

from peer import Peer, ScenarioFailure, credentials, expect, log, parse_args, run_scenario


async def scenario():
    args = parse_args(["user"])
    jid, password = credentials(args, "user")
    peer = Peer("user", jid, password, args.host, args.port)
    if await peer.connect():
        raise ScenarioFailure(f"the server accepted a wrong password for {jid}")
    log(f"AUTH-FAILED condition={peer.auth_failure} mechanism={peer.mechanism} tls={peer.tls}")
    expect(peer.tls, "SASL was attempted before STARTTLS")
    expect(peer.mechanism.startswith("SCRAM-"), f"the failed attempt used {peer.mechanism}, not SCRAM")
    expect(peer.auth_failure == "not-authorized",
           f"the SASL failure condition was {peer.auth_failure}, expected not-authorized")


if __name__ == "__main__":
    run_scenario(scenario)

// @xmpp/client alice against a slixmpp bob (peers/python/responder_bob.py, started first):
// login, roster get, mutual subscription, presence, ordered messages both ways.
//
// Usage: NODE_TLS_REJECT_UNAUTHORIZED=0 node alice_meets_slixmpp_bob.mjs --port P
//          --alice alice:secret --bob bob [--domain localhost]

import {
  Peer, bare, expect, formatRoster, log, messageFrom, parseScenarioArgs, presenceFrom, runScenario,
} from "./peer.mjs";

const MESSAGE_COUNT = 10;

await runScenario(async () => {
  const args = parseScenarioArgs(["alice", "bob"]);
  const alice = new Peer("alice", args, "alice");
  const bobJid = `${args.bob.split(":")[0]}@${args.domain}`;

  await alice.login("alice on node");

  await alice.sendPresence(bobJid, "subscribe");
  await alice.next("bob's approval", presenceFrom(bobJid, "subscribed"));
  log("SUBSCRIBED alice by=bob");
  await alice.next("bob's subscription request", presenceFrom(bobJid, "subscribe"));
  log("SUBSCRIBE-REQUEST alice from=bob");
  await alice.sendPresence(bobJid, "subscribed");

  const seen = await alice.next("bob available", presenceFrom(bobJid, "available"));
  const status = seen.getChildText("status");
  log(`PRESENCE alice sees bob available status=${JSON.stringify(status)}`);
  expect(status === "bob on slixmpp", `bob's status text was ${JSON.stringify(status)}`);

  const roster = await alice.roster();
  log(`ROSTER alice ${formatRoster(roster)}`);
  expect(roster.get(bobJid) === "both", `alice's roster item for bob is ${roster.get(bobJid)}, expected both`);
  log("SUBSCRIPTION alice both");

  for (let i = 0; i < MESSAGE_COUNT; i++) await alice.sendMessage(bobJid, `alice to bob #${i}`);
  for (let i = 0; i < MESSAGE_COUNT; i++) {
    const reply = await alice.next(`bob's reply #${i}`, messageFrom(bobJid));
    const body = reply.getChildText("body");
    expect(body === `bob to alice #${i}`, `alice expected "bob to alice #${i}" next, got ${JSON.stringify(body)}`);
  }
  log(`ORDERED alice received ${MESSAGE_COUNT} replies in order`);

  await alice.sendMessage(bobJid, "bye");
  const goodbye = await alice.next("bob going offline", presenceFrom(bobJid, "unavailable"));
  log(`PRESENCE alice sees bob unavailable from=${bare(goodbye.attrs.from)}`);
  await alice.logout();
});

// PEP notifications filtered by entity capabilities with @xmpp/client peers, which compute their
// own XEP-0115 hash and answer the server's disco#info: bob advertises a true 'ver' with
// mood+notify and gets alice's mood; dave advertises a 'ver' that his disco#info does not hash to
// (XEP-0115 §5.4) and gets nothing, although his features claim mood+notify.
//
// Usage: NODE_TLS_REJECT_UNAUTHORIZED=0 node pep_caps.mjs --port P --alice alice:secret
//          --bob bob:secret --dave dave:secret [--domain localhost]

import { createHash } from "node:crypto";
import { Peer, bare, expect, log, parseScenarioArgs, presenceFrom, runScenario, xml, STEP_TIMEOUT_MS } from "./peer.mjs";

const MOOD = "http://jabber.org/protocol/mood";
const EVENT = "http://jabber.org/protocol/pubsub#event";
const CAPS_NODE = "https://converge.example/interop-node";
const IDENTITY = "client/pc//converge interop";
const FEATURES = ["http://jabber.org/protocol/caps", "http://jabber.org/protocol/disco#info", MOOD + "+notify"];

// XEP-0115 §5.1 for one identity and a list of features (no extended forms).
function verOf(features) {
  const s = `${IDENTITY}<${[...features].sort().map((f) => `${f}<`).join("")}`;
  return createHash("sha1").update(s, "utf8").digest("base64");
}

// Answers disco#info (the server asking what 'ver' means) with the real features, and announces 'ver'.
function capsClient(name, args, role, advertisedVer) {
  const peer = new Peer(name, args, role);
  peer.discoAsked = 0;
  peer.xmpp.iqCallee.get("http://jabber.org/protocol/disco#info", "query", (ctx) => {
    peer.discoAsked++;
    return xml("query", { xmlns: "http://jabber.org/protocol/disco#info", node: ctx.element.attrs.node },
      xml("identity", { category: "client", type: "pc", name: "converge interop" }),
      ...FEATURES.map((f) => xml("feature", { var: f })));
  });
  peer.start = async () => {
    await peer.xmpp.start();
    log(`LOGIN ${name}`);
    await peer.roster();
    await peer.xmpp.send(xml("presence", {}, xml("c", { xmlns: "http://jabber.org/protocol/caps", hash: "sha-1", node: CAPS_NODE, ver: advertisedVer })));
  };
  return peer;
}

function isMoodEvent(from) {
  return (s) => s.is("message") && bare(s.attrs.from) === from && s.getChild("event", EVENT)?.getChild("items")?.attrs.node === MOOD;
}

await runScenario(async () => {
  const args = parseScenarioArgs(["alice", "bob", "dave"]);
  const alice = new Peer("alice", args, "alice");
  const bob = capsClient("bob", args, "bob", verOf(FEATURES));
  const dave = capsClient("dave", args, "dave", verOf([...FEATURES, "urn:example:not-really"]));
  await alice.login("publishing");
  await bob.start();
  await dave.start();

  // bob and dave follow alice: alice approves both (her roster: 'from').
  for (const follower of [bob, dave]) {
    await follower.sendPresence(alice.jid, "subscribe");
    await alice.next(`${follower.name}'s request`, presenceFrom(follower.jid, "subscribe"));
    await alice.sendPresence(follower.jid, "subscribed");
    await follower.next("alice's approval", presenceFrom(alice.jid, "subscribed"));
  }
  log("SUBSCRIBED bob,dave to alice");

  // Each answered the server's disco#info; a round trip after it means the server has read the answer.
  for (const follower of [bob, dave]) {
    const started = Date.now();
    while (follower.discoAsked === 0) {
      expect(Date.now() - started < STEP_TIMEOUT_MS, `${follower.name} was never asked what its caps mean`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await follower.xmpp.iqCaller.request(xml("iq", { type: "get" }, xml("ping", { xmlns: "urn:xmpp:ping" })), STEP_TIMEOUT_MS);
  }
  log("CAPS asked bob,dave");

  await alice.xmpp.iqCaller.request(xml("iq", { type: "set" },
    xml("pubsub", { xmlns: "http://jabber.org/protocol/pubsub" },
      xml("publish", { node: MOOD },
        xml("item", { id: "current" }, xml("mood", { xmlns: MOOD }, xml("curious")))))), STEP_TIMEOUT_MS);

  const event = await bob.next("alice's mood", isMoodEvent(alice.jid));
  const mood = event.getChild("event", EVENT).getChild("items").getChild("item").getChild("mood", MOOD);
  expect(mood?.getChild("curious") !== undefined, `bob's mood event: ${event}`);
  log("EVENT bob mood=curious");

  // A chat alice sends after the publish answer comes after any event of it on dave's stream.
  await alice.sendMessage(`${dave.jid}/dave-node`, "marker");
  await dave.next("alice's marker", (s) => s.is("message") && s.getChildText("body") === "marker");
  expect(!dave.queue.some(isMoodEvent(alice.jid)), "dave got the mood event although his caps do not verify");
  log("NO-EVENT dave (caps hash mismatch)");

  for (const peer of [alice, bob, dave]) await peer.logout();
});

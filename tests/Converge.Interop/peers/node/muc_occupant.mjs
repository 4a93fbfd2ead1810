// Two @xmpp/client occupants of one room (XEP-0045): creation of an instant room, a message that
// reaches both exactly once, a nick change (303) and a room MAM query (XEP-0313 on the room JID).
//
// Usage: NODE_TLS_REJECT_UNAUTHORIZED=0 node muc_occupant.mjs --port P --alice alice:secret --bob bob:secret

import { Peer, expect, log, parseScenarioArgs, runScenario, xml } from "./peer.mjs";

const MUC = "http://jabber.org/protocol/muc";
const MUC_USER = "http://jabber.org/protocol/muc#user";
const ROOM = "nodes@conference.localhost";

function codes(presence) {
  return (presence.getChild("x", MUC_USER)?.getChildren("status") ?? []).map((s) => Number(s.attrs.code)).sort((a, b) => a - b);
}

const selfPresence = (nick) => (s) => s.is("presence") && s.attrs.from === `${ROOM}/${nick}` && codes(s).includes(110) && s.attrs.type !== "error";
const groupchat = (body) => (s) => s.is("message") && s.attrs.type === "groupchat" && s.getChildText("body") === body;

async function join(peer, nick) {
  await peer.xmpp.send(xml("presence", { to: `${ROOM}/${nick}` }, xml("x", { xmlns: MUC })));
  const self = await peer.next(`${nick}'s self-presence`, selfPresence(nick));
  await peer.next(`the subject after ${nick}'s join`, (s) => s.is("message") && s.getChild("subject") !== undefined);
  return self;
}

await runScenario(async () => {
  const args = parseScenarioArgs(["alice", "bob"]);
  const alice = new Peer("alice", args, "alice");
  const bob = new Peer("bob", args, "bob");
  await alice.login("alice on node");
  await bob.login("bob on node");

  const created = await join(alice, "Alice");
  expect(codes(created).includes(201), `the creator's codes ${codes(created)}`);
  await alice.xmpp.iqCaller.request(
    xml("iq", { type: "set", to: ROOM }, xml("query", { xmlns: "http://jabber.org/protocol/muc#owner" }, xml("x", { xmlns: "jabber:x:data", type: "submit" }))),
    30_000);
  const joined = await join(bob, "Bob");
  log(`JOINED creator codes=${codes(created).join(",")} bob codes=${codes(joined).join(",")}`);

  await bob.xmpp.send(xml("message", { to: ROOM, type: "groupchat" }, xml("body", {}, "node says hi")));
  await bob.xmpp.send(xml("message", { to: ROOM, type: "groupchat" }, xml("body", {}, "node done")));
  for (const peer of [alice, bob]) {
    await peer.next("the closing message", groupchat("node done"));
    const copies = peer.queue.filter(groupchat("node says hi")).length;
    expect(copies === 1, `${peer.name} got the message ${copies} times`);
  }
  log("ONCE both occupants got bob's message exactly once");

  await bob.xmpp.send(xml("presence", { to: `${ROOM}/Robert` }));
  const renamed = await alice.next("bob's nick change", (s) => s.is("presence") && s.attrs.from === `${ROOM}/Bob` && s.attrs.type === "unavailable");
  const item = renamed.getChild("x", MUC_USER).getChild("item");
  expect(codes(renamed).includes(303) && item.attrs.nick === "Robert", `nick change codes ${codes(renamed)} nick ${item.attrs.nick}`);
  await alice.next("Robert's arrival", (s) => s.is("presence") && s.attrs.from === `${ROOM}/Robert` && s.attrs.type === undefined);
  log("NICK Bob became Robert with 303");

  const fin = await alice.xmpp.iqCaller.request(
    xml("iq", { type: "set", to: ROOM }, xml("query", { xmlns: "urn:xmpp:mam:2", queryid: "q1" })), 30_000);
  const results = alice.queue.filter((s) => s.is("message") && s.getChild("result", "urn:xmpp:mam:2")?.attrs.queryid === "q1");
  const bodies = results.map((r) => r.getChild("result", "urn:xmpp:mam:2").getChild("forwarded", "urn:xmpp:forward:0").getChild("message").getChildText("body"));
  expect(fin.getChild("fin", "urn:xmpp:mam:2")?.attrs.complete === "true", "the room archive query is not complete");
  expect(JSON.stringify(bodies) === JSON.stringify(["node says hi", "node done"]), `the room archive holds ${JSON.stringify(bodies)}`);
  log(`MAM room archive ${JSON.stringify(bodies)}`);

  await bob.logout();
  await alice.logout();
});

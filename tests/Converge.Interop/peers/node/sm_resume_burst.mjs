// XEP-0198 resumption with @xmpp/client (its stream-management and reconnect modules, as shipped)
// when the connection dies in the middle of a burst. The same scenario as sm_resume_burst.py:
// bob connects through the driver's flaky link (--port), alice directly (--direct-port); after
// READY the driver arms the link and writes BURST; alice sends 200 messages and prints SENT once
// the server routed them; the driver cuts the link; bob's client reconnects on its own and
// resumes. Every message bob handles is printed as a GOT line for the driver to check.
//
// Usage: NODE_TLS_REJECT_UNAUTHORIZED=0 node sm_resume_burst.mjs --port LINK --direct-port SERVER
//          --alice alice:secret --bob bob:secret

import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { client } from "@xmpp/client";
import { Peer, STEP_TIMEOUT_MS, ScenarioFailure, expect, log, runScenario, xml } from "./peer.mjs";

const BURST = 200;
const PREFIX = "burst ";

const stdinLines = [];
const stdinWaiters = [];
const stdin = createInterface({ input: process.stdin });
stdin.on("line", (line) => {
  const waiter = stdinWaiters.shift();
  if (waiter) waiter(line);
  else stdinLines.push(line);
});

async function command(expected) {
  const line = stdinLines.shift() ?? await within(45_000, `the driver to say ${expected}`,
    new Promise((resolve) => stdinWaiters.push(resolve)));
  expect(line.trim() === expected, `expected ${expected} on stdin, got ${JSON.stringify(line)}`);
}

function within(ms, description, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new ScenarioFailure(`timed out waiting for ${description}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function signal() {
  let fire;
  const promise = new Promise((resolve) => { fire = resolve; });
  return { promise, fire };
}

await runScenario(async () => {
  const { values: args } = parseArgs({
    options: {
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string" },
      "direct-port": { type: "string" },
      // bob over XMPP over WebSocket: --port is then the (flaky link to the) HTTP listener.
      websocket: { type: "boolean", default: false },
      domain: { type: "string", default: "localhost" },
      alice: { type: "string" },
      bob: { type: "string" },
    },
  });
  const [bobUser, bobPassword] = args.bob.split(/:(.*)/s);
  const bobJid = `${bobUser}@${args.domain}`;

  const bob = client({
    service: args.websocket ? `ws://${args.host}:${args.port}/xmpp-websocket` : `xmpp://${args.host}:${args.port}`,
    domain: args.domain,
    resource: "bob-node",
    username: bobUser,
    password: bobPassword,
  });
  bob.reconnect.delay = 100; // reconnect at once rather than after the default second
  bob.on("error", (error) => log(`ERROR bob ${error.message ?? error}`));

  const got = [];
  const allIn = signal();
  const cut = signal();
  const resumed = signal();
  const newSession = signal();
  let onlines = 0;
  let cuts = 0;
  bob.on("stanza", (stanza) => {
    const body = stanza.is("message") ? stanza.getChildText("body") : null;
    if (body?.startsWith(PREFIX)) {
      got.push(body);
      log(`GOT ${body}`);
      if (got.length >= BURST) allIn.fire();
    }
  });
  bob.on("disconnect", () => {
    if (cuts++ === 0) {
      log(`CUT bob after ${got.length} messages`);
      cut.fire();
    }
  });
  bob.on("online", () => {
    if (++onlines > 1) newSession.fire();
  });
  bob.streamManagement.on("resumed", () => resumed.fire());

  const enabled = signal();
  bob.on("element", (element) => {
    if (element.is("enabled", "urn:xmpp:sm:3")) enabled.fire();
  });
  await bob.start();
  // start() resolves as soon as the resource is bound, before <enable/> is even sent.
  await within(STEP_TIMEOUT_MS, "bob's <enabled/>", enabled.promise);
  expect(bob.streamManagement.enabled && bob.streamManagement.id, "bob: stream management was not enabled with resumption");
  log("SM bob enabled resumable=true");
  await bob.send(xml("presence")); // available: messages to his bare JID come to this session

  const alice = new Peer("alice", { ...args, port: args["direct-port"], websocket: undefined }, "alice");
  await alice.login("alice sending");
  log("READY");

  await command("BURST");
  for (let i = 0; i < BURST; i++) {
    await alice.sendMessage(bobJid, `${PREFIX}${String(i).padStart(3, "0")}`);
  }
  await ping(alice.xmpp);
  log(`SENT ${BURST}`);

  await within(20_000, "the driver to cut bob's connection", cut.promise);
  const how = await within(20_000, "bob's session to be resumed",
    Promise.race([resumed.promise.then(() => "resumed"), newSession.promise.then(() => "new")]));
  if (how !== "resumed") throw new ScenarioFailure("bob got a new session instead: resumption failed");
  log(`RESUMED bob handled=${bob.streamManagement.inbound}`);

  await within(20_000, `all ${BURST} messages`, allIn.promise);
  await ping(bob); // anything resent twice would be queued before the answer to this
  log(`DONE bob received=${got.length} sessions=${onlines}`);

  await alice.logout();
  bob.reconnect.stop();
  await bob.stop();
});
// Open connections and stdin would keep node running after a failed scenario.
process.exit(process.exitCode ?? 1);

function ping(entity) {
  return entity.iqCaller.request(
    xml("iq", { type: "get", to: entity.jid.domain }, xml("ping", { xmlns: "urn:xmpp:ping" })), STEP_TIMEOUT_MS);
}

// An @xmpp/client connection wrapped for scripted interop scenarios: every received
// stanza is queued, and the scenario waits for the next one matching a predicate.
// The server's certificate is self-signed: run with NODE_TLS_REJECT_UNAUTHORIZED=0.

import { parseArgs } from "node:util";
import { client, xml, jid } from "@xmpp/client";

export { xml };

// Generous: CI machines are shared and a step waits for an event, it does not measure speed.
export const STEP_TIMEOUT_MS = 30_000;

export class ScenarioFailure extends Error {}

export function log(line) {
  process.stdout.write(`${line}\n`);
}

export function expect(condition, message) {
  if (!condition) throw new ScenarioFailure(message);
}

export function bare(address) {
  return address ? jid(address).bare().toString() : "";
}

// --host, --port (STARTTLS client listener), --domain, and --<role> localpart:password;
// --websocket PORT connects over XMPP over WebSocket (RFC 7395) to the HTTP listener instead.
export function parseScenarioArgs(roles) {
  const options = {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string" },
    websocket: { type: "string" },
    domain: { type: "string", default: "localhost" },
  };
  for (const role of roles) options[role] = { type: "string" };
  const { values } = parseArgs({ options });
  expect(values.port, "--port is required");
  for (const role of roles) expect(values[role], `--${role} localpart:password is required`);
  return values;
}

export class Peer {
  constructor(name, args, role) {
    const [username, password] = args[role].split(/:(.*)/s);
    this.name = name;
    this.transport = transportOf(args);
    this.jid = `${username}@${args.domain}`;
    this.mechanism = undefined;
    this.offeredMechanisms = [];
    this.queue = [];
    this.waiters = [];
    this.xmpp = client({
      service: serviceOf(args),
      domain: args.domain,
      resource: `${name}-node`,
      // Called by the SASL feature with the mechanisms both sides support, best first.
      credentials: async (authenticate, mechanisms) => {
        this.offeredMechanisms = mechanisms;
        this.mechanism = mechanisms[0];
        await authenticate({ username, password }, this.mechanism);
      },
    });
    // A lost connection is a failed scenario, not a reason to retry.
    this.xmpp.reconnect.stop();
    this.xmpp.on("error", (error) => log(`ERROR ${name} ${error.message ?? error}`));
    this.xmpp.on("stanza", (stanza) => this.#deliver(stanza));
  }

  #deliver(stanza) {
    const index = this.waiters.findIndex((w) => w.predicate(stanza));
    if (index >= 0) {
      const [waiter] = this.waiters.splice(index, 1);
      clearTimeout(waiter.timer);
      waiter.resolve(stanza);
    } else {
      this.queue.push(stanza);
    }
  }

  // The next received stanza matching predicate (earlier non-matching ones stay queued).
  next(description, predicate) {
    const index = this.queue.findIndex(predicate);
    if (index >= 0) return Promise.resolve(this.queue.splice(index, 1)[0]);
    return new Promise((resolve, reject) => {
      const waiter = { predicate, resolve };
      waiter.timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new ScenarioFailure(`${this.name}: timed out waiting for ${description}`));
      }, STEP_TIMEOUT_MS);
      this.waiters.push(waiter);
    });
  }

  async login(status) {
    const address = await this.xmpp.start();
    expect(this.xmpp.isSecure(), `${this.name}: the stream is not encrypted`);
    expect(this.mechanism?.startsWith("SCRAM-"),
      `${this.name}: authenticated with ${this.mechanism} (offered ${this.offeredMechanisms}), expected SCRAM`);
    log(`LOGIN ${this.name} jid=${address} tls=${this.xmpp.isSecure()} mechanism=${this.mechanism} transport=${this.transport}`);
    const roster = await this.roster();
    log(`ROSTER ${this.name} ${formatRoster(roster)}`);
    await this.xmpp.send(xml("presence", {}, xml("status", {}, status)));
    return roster;
  }

  // The full roster as Map(bare jid -> subscription), without roster versioning.
  async roster() {
    const result = await this.xmpp.iqCaller.request(
      xml("iq", { type: "get" }, xml("query", { xmlns: "jabber:iq:roster" })),
      STEP_TIMEOUT_MS,
    );
    const query = result.getChild("query", "jabber:iq:roster");
    return new Map((query?.getChildren("item") ?? []).map((item) => [
      bare(item.attrs.jid),
      item.attrs.subscription ?? "none",
    ]));
  }

  sendPresence(to, type) {
    return this.xmpp.send(xml("presence", { to, type }));
  }

  sendMessage(to, body) {
    return this.xmpp.send(xml("message", { to, type: "chat" }, xml("body", {}, body)));
  }

  async logout() {
    await this.xmpp.stop();
  }
}

// The TCP listener (xmpp://, STARTTLS) or, with --websocket, the WebSocket endpoint (ws:// on loopback).
export function serviceOf(args) {
  return args.websocket
    ? `ws://${args.host}:${args.websocket}/xmpp-websocket`
    : `xmpp://${args.host}:${args.port}`;
}

// What the server said the stream is, for the LOGIN line: xmpp:// or ws://.
export function transportOf(args) {
  return args.websocket ? "websocket" : "tcp";
}

export function formatRoster(roster) {
  if (roster.size === 0) return "(empty)";
  return [...roster.entries()].sort().map(([j, s]) => `${j}=${s}`).join(" ");
}

export function presenceFrom(address, type) {
  return (s) => s.is("presence") && bare(s.attrs.from) === address && (s.attrs.type ?? "available") === type;
}

export function messageFrom(address) {
  return (s) => s.is("message") && bare(s.attrs.from) === address && s.getChild("body") !== undefined;
}

// Runs the scenario; exit code 0 only when it finished without a failed expectation.
export async function runScenario(scenario) {
  const deadline = setTimeout(() => {
    log("FAIL scenario did not finish within 50 s");
    process.exit(3);
  }, 50_000);
  try {
    await scenario();
    log("PASS");
    process.exitCode = 0;
  } catch (error) {
    if (error instanceof ScenarioFailure) {
      log(`FAIL ${error.message}`);
    } else {
      console.error(error);
      log(`FAIL unexpected ${error?.name}: ${error?.message}`);
    }
    process.exitCode = 1;
  } finally {
    clearTimeout(deadline);
  }
}

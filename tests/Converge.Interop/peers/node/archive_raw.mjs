// The message archive (XEP-0313) from @xmpp/client, which has no MAM plugin: raw stanzas.
// carol sends 120 messages to dave (offline; even ones in thread n-even, odd ones in n-odd), then
// reads the search form and pages through her archive with dave, 25 at a time, following
// XEP-0059 <after/>, and through one thread via the {urn:converge:mam}thread field.
// Every page is printed for the driver to check:
//   PAGE <query> <n> size=<k> complete=<true|false> count=<c> bodies=<b1,b2,...>
//
// Usage: NODE_TLS_REJECT_UNAUTHORIZED=0 node archive_raw.mjs --port P --carol carol:secret --dave dave:secret

import { Peer, STEP_TIMEOUT_MS, expect, log, parseScenarioArgs, runScenario, xml } from "./peer.mjs";

const MAM = "urn:xmpp:mam:2";
const RSM = "http://jabber.org/protocol/rsm";
const FORWARD = "urn:xmpp:forward:0";
const THREAD_FIELD = "{urn:converge:mam}thread";
const COUNT = 120;
const PAGE_SIZE = 25;

await runScenario(async () => {
  const args = parseScenarioArgs(["carol", "dave"]);
  const carol = new Peer("carol", args, "carol");
  const daveJid = `${args.dave.split(":")[0]}@${args.domain}`;
  await carol.login("carol archiving");

  const form = await carol.xmpp.iqCaller.request(
    xml("iq", { type: "get" }, xml("query", { xmlns: MAM })), STEP_TIMEOUT_MS);
  const fields = form.getChild("query", MAM)?.getChild("x", "jabber:x:data")?.getChildren("field")
    .map((f) => f.attrs.var) ?? [];
  log(`FORM fields=${[...fields].sort().join(",")}`);
  expect(fields.includes(THREAD_FIELD), `the search form does not offer ${THREAD_FIELD}`);

  for (let i = 0; i < COUNT; i++) {
    const body = `n${String(i).padStart(3, "0")}`;
    await carol.xmpp.send(xml("message", { to: daveJid, type: "chat" },
      xml("body", {}, body), xml("thread", {}, i % 2 === 0 ? "n-even" : "n-odd")));
  }
  // The server handles a session's stanzas in order: once this is answered, all are archived.
  await carol.xmpp.iqCaller.request(
    xml("iq", { type: "get", to: args.domain }, xml("ping", { xmlns: "urn:xmpp:ping" })), STEP_TIMEOUT_MS);

  await pages(carol, "with-dave", { with: daveJid });
  await pages(carol, "thread-odd", { [THREAD_FIELD]: "n-odd" });
  await carol.logout();
});

// Pages forward through a query until the server says the result set is complete.
async function pages(peer, label, filters) {
  let after;
  for (let number = 1; number <= 50; number++) {
    const queryId = `${label}-${number}`;
    const set = xml("set", { xmlns: RSM }, xml("max", {}, String(PAGE_SIZE)));
    if (after) set.append(xml("after", {}, after));
    const query = xml("query", { xmlns: MAM, queryid: queryId }, searchForm(filters), set);
    const result = await peer.xmpp.iqCaller.request(xml("iq", { type: "set" }, query), STEP_TIMEOUT_MS);

    // The results came before the answer, and the stanza listener queued them in order.
    const results = peer.queue.filter((s) => s.getChild("result", MAM)?.attrs.queryid === queryId);
    peer.queue = peer.queue.filter((s) => !results.includes(s));
    const bodies = results.map((s) =>
      s.getChild("result", MAM).getChild("forwarded", FORWARD).getChild("message").getChildText("body"));

    const fin = result.getChild("fin", MAM);
    expect(fin, `${label}: the answer to page ${number} has no <fin/>`);
    const rsm = fin.getChild("set", RSM);
    const complete = fin.attrs.complete === "true";
    log(`PAGE ${label} ${number} size=${bodies.length} complete=${complete} ` +
      `count=${rsm?.getChildText("count") ?? ""} bodies=${bodies.join(",")}`);
    if (complete || bodies.length === 0) return;
    after = rsm?.getChildText("last");
    expect(after, `${label}: page ${number} is not complete but has no <last/>`);
  }
  expect(false, `${label}: still not complete after 50 pages`);
}

function searchForm(filters) {
  const x = xml("x", { xmlns: "jabber:x:data", type: "submit" },
    xml("field", { var: "FORM_TYPE", type: "hidden" }, xml("value", {}, MAM)));
  for (const [name, value] of Object.entries(filters)) {
    x.append(xml("field", { var: name }, xml("value", {}, value)));
  }
  return x;
}

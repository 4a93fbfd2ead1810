// The web chat Converge serves at / (Converse.js), in Debian's chromium driven by playwright-core:
// alice logs in on the page over XMPP over WebSocket, sees the message a slixmpp bob sends her and
// answers from the page's chat box. Only loopback is reachable: any other request is aborted.
//
// Usage: node webchat.mjs --http PORT --alice alice:secret --bob bob --shot FILE.png
// Prints LOGGED-IN, then waits for bob's message (the driver makes bob send it), SHOWN, TYPED, PASS.

import { parseArgs } from "node:util";
import { chromium } from "playwright-core";
import { STEP_TIMEOUT_MS, expect, log, runScenario } from "./peer.mjs";

const FROM_BOB = "hello from slixmpp";
const FROM_BROWSER = "hello from the browser";

await runScenario(async () => {
  const { values: args } = parseArgs({
    options: {
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string" },
      domain: { type: "string", default: "localhost" },
      http: { type: "string" },
      alice: { type: "string" },
      bob: { type: "string" },
      shot: { type: "string" },
    },
  });
  const [user, password] = args.alice.split(/:(.*)/s);
  const bobJid = `${args.bob}@${args.domain}`;

  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    await page.route("**/*", (route) => {
      const host = new URL(route.request().url()).hostname;
      return host === "127.0.0.1" || host === "localhost" ? route.continue() : route.abort();
    });
    page.on("pageerror", (error) => log(`PAGEERROR ${error.message}`));

    const response = await page.goto(`http://${args.host}:${args.http}/`);
    expect(response.status() === 200, `the page answered ${response.status()}`);
    await page.fill("#converse-login-jid", `${user}@${args.domain}`);
    await page.fill("#converse-login-password", password);
    await page.click("#converse-login button[type=submit]");
    await page.waitForSelector("converse-roster", { state: "attached" });
    log("LOGGED-IN");

    // bob's message shows as unread on his roster entry; opening it shows the message.
    await page.locator("converse-roster .unread-msgs").first().waitFor();
    await page.locator("converse-roster a.open-chat", { hasText: bobJid }).first().click();
    await page.locator(".chat-msg__text", { hasText: FROM_BOB }).first().waitFor();
    log(`SHOWN ${FROM_BOB}`);

    const box = page.locator(`converse-chat[jid="${bobJid}"] textarea, .chatbox textarea`).first();
    await box.fill(FROM_BROWSER);
    await box.press("Enter");
    await page.locator(".chat-msg__text", { hasText: FROM_BROWSER }).first().waitFor();
    log("TYPED");
    if (args.shot) {
      await page.screenshot({ path: args.shot, fullPage: true });
      log(`SCREENSHOT ${args.shot}`);
    }
  } finally {
    await browser.close();
  }
});

// Drives the web console in Debian's chromium as an operator would: log in with a token, watch the
// dashboard, kick a session from the sessions page, open the outbox page. Prints one line per step
// and PASS; screenshots go to --shots DIR.
//
// Usage: node console_check.mjs --url http://127.0.0.1:PORT --token cvt_... --kick alice@localhost --shots DIR
import puppeteer from 'puppeteer-core';
import { parseArgs } from 'node:util';
import path from 'node:path';

const { values: args } = parseArgs({ options: { url: { type: 'string' }, token: { type: 'string' }, kick: { type: 'string' }, shots: { type: 'string' } } });
const TIMEOUT = 60000;
const log = (line) => console.log(line);

const browser = await puppeteer.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 390, height: 844, isMobile: true }); // a phone
  const problems = [];
  let loggedIn = false; // before that, the wrong token's 401 is expected
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error' && loggedIn) problems.push('console error: ' + m.text()); });
  page.on('response', (r) => { if (r.status() >= 400 && (loggedIn || r.status() !== 401)) problems.push(r.status() + ' ' + r.url()); });

  await page.goto(args.url + '/admin', { waitUntil: 'load', timeout: TIMEOUT });
  await page.type('#token', 'cvt_wrong');
  await page.click('#login-form button[type=submit]');
  await page.waitForFunction(() => document.getElementById('login-error').textContent.length > 0, { timeout: TIMEOUT });
  log('WRONG-TOKEN ' + await page.$eval('#login-error', e => e.textContent));

  await page.$eval('#token', e => { e.value = ''; });
  loggedIn = true;
  await page.type('#token', args.token);
  await page.click('#login-form button[type=submit]');
  await page.waitForFunction(() => !document.getElementById('dashboard').hidden && document.getElementById('k-sessions').textContent !== '-', { timeout: TIMEOUT });
  // Two polls make a rate and a line on each chart.
  await page.waitForFunction(() => document.querySelectorAll('#chart-sessions polyline')[0]?.getAttribute('points').split(' ').length >= 2, { timeout: TIMEOUT });
  log('DASHBOARD sessions=' + await page.$eval('#k-sessions', e => e.textContent) + ' domain=' + await page.$eval('#domain', e => e.textContent.split(' ')[0]));
  await page.screenshot({ path: path.join(args.shots, 'dashboard.png'), fullPage: true });

  await page.goto(args.url + '/admin#sessions', { waitUntil: 'load', timeout: TIMEOUT });
  await page.waitForFunction((jid) => [...document.querySelectorAll('#session-rows tr')].some(r => r.cells[0].textContent.startsWith(jid + '/')), { timeout: TIMEOUT }, args.kick);
  const before = await page.$$eval('#session-rows tr', rs => rs.map(r => r.cells[0].textContent.split('/')[0]));
  log('SESSIONS ' + before.sort().join(','));
  await page.screenshot({ path: path.join(args.shots, 'sessions.png'), fullPage: true });
  await page.$$eval('#session-rows tr', (rs, jid) => rs.find(r => r.cells[0].textContent.startsWith(jid + '/')).querySelector('button').click(), args.kick);
  await page.waitForFunction((jid) => ![...document.querySelectorAll('#session-rows tr')].some(r => r.cells[0].textContent.startsWith(jid + '/')), { timeout: TIMEOUT }, args.kick);
  const after = await page.$$eval('#session-rows tr', rs => rs.map(r => r.cells[0].textContent.split('/')[0]));
  log('KICKED ' + args.kick + ' remaining=' + after.sort().join(','));

  await page.goto(args.url + '/admin#outbox', { waitUntil: 'load', timeout: TIMEOUT });
  await page.waitForFunction(() => document.querySelectorAll('#outbox-rows tr').length === 2, { timeout: TIMEOUT });
  log('OUTBOX ' + await page.$$eval('#outbox-rows tr', rs => rs.map(r => r.cells[0].textContent + '=' + r.cells[1].textContent).join(',')));
  await page.screenshot({ path: path.join(args.shots, 'outbox.png'), fullPage: true });

  if (problems.length > 0) { log('PROBLEMS ' + problems.join(' | ')); process.exitCode = 1; } else { log('PASS'); }
} finally {
  await browser.close();
}

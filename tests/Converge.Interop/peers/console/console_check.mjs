// Drives the web console in Debian's chromium on a phone-sized screen as an operator would: log in
// with a token, watch the dashboard's charts move while a load runs, kick a session from the sessions
// page, retry the waiting SMS lane from the outbox page; every page must fit the phone's width. Prints
// one line per step and PASS; screenshots go to --shots DIR.
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
  await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true }); // a phone
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
  // Two polls make a rate and a line on each chart; under load the local line then moves with every poll.
  // (Each function runs in the page, so each names the local line itself; the page's CSP forbids eval.)
  const localLine = () => [...document.querySelectorAll('#chart-rate polyline')].find(l => l.querySelector('title')?.textContent === 'local')?.getAttribute('points') || '';
  await page.waitForFunction(() => ([...document.querySelectorAll('#chart-rate polyline')].find(l => l.querySelector('title')?.textContent === 'local')?.getAttribute('points') || '').split(' ').length >= 2
    && Number(document.getElementById('k-rate').textContent) > 0, { timeout: TIMEOUT });
  const first = { points: await page.evaluate(localLine), rate: Number(await page.$eval('#k-rate', e => e.textContent)) };
  await page.waitForFunction((before) => {
    const now = [...document.querySelectorAll('#chart-rate polyline')].find(l => l.querySelector('title')?.textContent === 'local')?.getAttribute('points') || '';
    return now !== before && now.split(' ').length > before.split(' ').length;
  }, { timeout: TIMEOUT }, first.points);
  const second = { points: await page.evaluate(localLine), rate: Number(await page.$eval('#k-rate', e => e.textContent)) };
  log('DASHBOARD sessions=' + await page.$eval('#k-sessions', e => e.textContent) + ' domain=' + await page.$eval('#domain', e => e.textContent.split(' ')[0]));
  log('CHART local samples=' + first.points.split(' ').length + '->' + second.points.split(' ').length + ' moved=' + (first.points !== second.points) + ' busy=' + (first.rate > 0 && second.rate > 0));
  await page.screenshot({ path: path.join(args.shots, 'dashboard.png'), fullPage: true });
  const unfit = [];
  const fits = async (name) => { if (!await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)) unfit.push(name); };
  await fits('dashboard');

  await page.goto(args.url + '/admin#sessions', { waitUntil: 'load', timeout: TIMEOUT });
  await page.waitForFunction((jid) => [...document.querySelectorAll('#session-rows tr')].some(r => r.cells[0].textContent.startsWith(jid + '/')), { timeout: TIMEOUT }, args.kick);
  const before = await page.$$eval('#session-rows tr', rs => rs.map(r => r.cells[0].textContent.split('/')[0]));
  log('SESSIONS ' + before.sort().join(','));
  await page.screenshot({ path: path.join(args.shots, 'sessions.png'), fullPage: true });
  await fits('sessions');
  await page.$$eval('#session-rows tr', (rs, jid) => rs.find(r => r.cells[0].textContent.startsWith(jid + '/')).querySelector('button').click(), args.kick);
  await page.waitForFunction((jid) => ![...document.querySelectorAll('#session-rows tr')].some(r => r.cells[0].textContent.startsWith(jid + '/')), { timeout: TIMEOUT }, args.kick);
  const after = await page.$$eval('#session-rows tr', rs => rs.map(r => r.cells[0].textContent.split('/')[0]));
  log('KICKED ' + args.kick + ' remaining=' + after.sort().join(','));

  await page.goto(args.url + '/admin#outbox', { waitUntil: 'load', timeout: TIMEOUT });
  await page.waitForFunction(() => document.querySelectorAll('#outbox-rows tr').length === 2 && document.querySelectorAll('#lane-rows tr').length > 0, { timeout: TIMEOUT });
  log('OUTBOX ' + await page.$$eval('#outbox-rows tr', rs => rs.map(r => r.cells[0].textContent + '=' + r.cells[1].textContent).join(',')));
  await page.screenshot({ path: path.join(args.shots, 'outbox.png'), fullPage: true });
  await fits('outbox');
  // The action a phone must still reach: the Retry button of the first lane, visible and clicked like a finger would.
  const lane = await page.$eval('#lane-rows tr', r => r.cells[0].textContent);
  const retry = await page.waitForSelector('#lane-rows tr td.actions button', { visible: true, timeout: TIMEOUT });
  await retry.tap();
  await page.waitForFunction(() => document.getElementById('notice').textContent.length > 0 || document.getElementById('status').textContent.length > 0, { timeout: TIMEOUT });
  log('RETRIED lane=' + lane + ' notice=' + await page.$eval('#notice', e => e.textContent) + (await page.$eval('#status', e => e.textContent) ? ' error=' + await page.$eval('#status', e => e.textContent) : ''));
  await page.screenshot({ path: path.join(args.shots, 'outbox-retried.png'), fullPage: true });
  log(unfit.length === 0 ? 'PHONE every page fits ' + page.viewport().width + ' px' : 'PHONE too wide: ' + unfit.join(','));
  if (unfit.length > 0) problems.push('pages wider than the phone: ' + unfit.join(','));

  if (problems.length > 0) { log('PROBLEMS ' + problems.join(' | ')); process.exitCode = 1; } else { log('PASS'); }
} finally {
  await browser.close();
}

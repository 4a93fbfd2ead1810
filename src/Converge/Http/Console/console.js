// The Converge web console: a few pages over the admin API (/api) and the Prometheus page (/metrics).
// Written by hand, no library, nothing fetched from the internet. Every value is put in the page with
// textContent, never as HTML: JIDs and lane names come from users.
'use strict';

const state = { auth: sessionStorage.getItem('converge.auth'), history: [], last: null, timer: null, shown: 0 };
const $ = (id) => document.getElementById(id);
const pages = ['login', 'dashboard', 'users', 'sessions', 'agreements', 'outbox'];
const COLORS = { local: '#1f6feb', remote: '#d97706', legacy: '#15803d', service: '#7c3aed' };

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: Object.assign({ 'Authorization': state.auth }, body ? { 'Content-Type': 'application/json' } : {}),
    body: body ? JSON.stringify(body) : undefined,
  });
  if (response.status === 401) { logout('Your token or password was not accepted.'); throw new Error('401'); }
  if (!response.ok) {
    let message = response.status + ' ' + response.statusText;
    try { const error = await response.json(); message = error.message || message; } catch (e) { /* not JSON */ }
    throw new Error(message);
  }
  return response.status === 204 ? null : response.json();
}

function cell(row, text) { const td = document.createElement('td'); td.textContent = text; row.appendChild(td); return td; }

// One cell with the row's action buttons, so that a phone's narrow table (which hides the middle
// columns) still shows every action. An action may return a sentence to show once the page is reloaded.
function actions(row, list) {
  const td = document.createElement('td');
  td.className = 'actions';
  for (const [label, action] of list) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.addEventListener('click', async () => {
      try { const notice = await action(); await show(); $('notice').textContent = notice || ''; } catch (e) { $('status').textContent = e.message; }
    });
    td.appendChild(b);
  }
  row.appendChild(td);
}

function rows(id, items, fill) {
  const body = $(id);
  body.replaceChildren();
  for (const item of items) { const tr = document.createElement('tr'); fill(tr, item); body.appendChild(tr); }
}

function parseMetrics(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(\{([^}]*)\})? ([^ ]+)/.exec(line);
    if (!m) continue;
    const labels = {};
    for (const pair of (m[3] || '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]] = pair[2];
    samples.push({ name: m[1], labels, value: Number(m[4]) });
  }
  return samples;
}

const sum = (samples, name, match) => samples
  .filter(s => s.name === name && Object.entries(match || {}).every(([k, v]) => s.labels[k] === v))
  .reduce((total, s) => total + s.value, 0);

function draw(svg, series) {
  svg.replaceChildren();
  const all = series.flatMap(s => s.points);
  const max = Math.max(1, ...all);
  for (const s of series) {
    const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
    const n = Math.max(1, s.points.length - 1);
    line.setAttribute('points', s.points.map((v, i) => `${(i / n) * 600},${155 - (v / max) * 145}`).join(' '));
    line.setAttribute('stroke', s.color);
    const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
    title.textContent = s.name;
    line.appendChild(title);
    svg.appendChild(line);
  }
}

async function dashboard() {
  const [status, text] = await Promise.all([api('GET', '/api/status'), fetch('/metrics').then(r => r.text())]);
  const samples = parseMetrics(text);
  const now = Date.now() / 1000;
  const routes = {};
  for (const route of Object.keys(COLORS)) routes[route] = sum(samples, 'converge_stanzas_routed_total', { kind: 'message', route });
  const sms = status.outbox.find(o => o.channel === 'sms') || { depth: 0, oldestAgeSeconds: 0 };
  const point = { at: now, routes, sessions: status.sessions, sms: sms.depth, rates: {} };
  // Two polls a moment apart (a page shown twice) would make a rate of nothing out of a short gap.
  if (state.last && now - state.last.at < 1) return;
  if (state.last) {
    const dt = Math.max(0.001, now - state.last.at);
    for (const route of Object.keys(COLORS)) point.rates[route] = Math.max(0, (routes[route] - state.last.routes[route]) / dt);
    state.history.push(point);
    if (state.history.length > 120) state.history.shift();
  }
  state.last = point;
  const total = Object.values(point.rates).reduce((a, b) => a + b, 0);
  $('domain').textContent = status.domain + ' · ' + status.version;
  $('k-sessions').textContent = status.sessions;
  $('k-rate').textContent = total.toFixed(1);
  $('k-refused').textContent = status.refusedIn + ' / ' + status.refusedOut;
  $('k-sms').textContent = sms.depth;
  $('k-sms-age').textContent = Math.round(sms.oldestAgeSeconds) + ' s';
  draw($('chart-rate'), Object.entries(COLORS).map(([route, color]) => ({ name: route, color, points: state.history.map(p => p.rates[route] || 0) })));
  draw($('chart-sessions'), [{ name: 'sessions', color: '#1f6feb', points: state.history.map(p => p.sessions) }]);
  draw($('chart-sms'), [{ name: 'sms', color: '#15803d', points: state.history.map(p => p.sms) }]);
  rows('refusal-rows', samples.filter(s => s.name === 'converge_agreement_refusals_total'), (tr, s) => {
    cell(tr, s.labels.peer); cell(tr, s.labels.direction); cell(tr, s.labels.reason); cell(tr, s.value);
  });
}

async function users() {
  const page = await api('GET', '/api/users?limit=200&filter=' + encodeURIComponent($('filter').value));
  $('user-total').textContent = page.total + ' users';
  rows('user-rows', page.users, (tr, u) => {
    cell(tr, u.jid); cell(tr, u.msisdn || '-'); cell(tr, u.email || '-'); cell(tr, u.sessions);
    actions(tr, [['Kick', () => api('POST', '/api/users/' + encodeURIComponent(u.jid) + '/kick', {}).then(() => 'Kicked ' + u.jid + '.')]]);
  });
}

async function sessions() {
  rows('session-rows', await api('GET', '/api/sessions'), (tr, s) => {
    cell(tr, s.jid); cell(tr, s.listener); cell(tr, s.available ? 'available' : '-'); cell(tr, new Date(s.started).toLocaleString());
    actions(tr, [['Kick', () => api('POST', '/api/sessions/' + encodeURIComponent(s.jid) + '/kick', {}).then(() => 'Kicked ' + s.jid + '.')]]);
  });
}

async function agreements() {
  rows('agreement-rows', await api('GET', '/api/agreements'), (tr, a) => {
    const links = a.links || { outbound: 'Idle', stanzasIn: 0, stanzasOut: 0 };
    const exposes = Object.entries(a.expose || {}).filter(([, v]) => v === true).map(([k]) => k).join(', ') || 'nothing';
    cell(tr, a.domain); cell(tr, a.features.join(', ')); cell(tr, links.outbound);
    cell(tr, links.stanzasIn + ' / ' + links.stanzasOut); cell(tr, a.refusedIn + ' / ' + a.refusedOut); cell(tr, exposes);
  });
}

async function outbox() {
  rows('outbox-rows', await api('GET', '/api/outbox'), (tr, c) => {
    cell(tr, c.channel); cell(tr, c.depth); cell(tr, c.lanes); cell(tr, c.oldest ? Math.round(c.oldestAgeSeconds) + ' s ago' : '-');
  });
  rows('lane-rows', await api('GET', '/api/outbox/sms/lanes?limit=50'), (tr, l) => {
    cell(tr, l.lane); cell(tr, l.depth); cell(tr, l.headAttempts); cell(tr, new Date(l.nextAttempt).toLocaleString());
    actions(tr, [
      ['Retry', () => api('POST', '/api/outbox/retry', { lane: l.lane }).then(r => 'Lane ' + l.lane + ': ' + r.items + ' waiting messages made due now.')],
      ['Drop', () => confirm('Discard every waiting message of ' + l.lane + '?')
        ? api('POST', '/api/outbox/drop', { lane: l.lane }).then(r => 'Lane ' + l.lane + ': ' + r.items + ' waiting messages discarded.')
        : null],
    ]);
  });
}

const loaders = { dashboard, users, sessions, agreements, outbox };

async function show() {
  clearInterval(state.timer);
  const shown = ++state.shown;
  const page = state.auth ? (location.hash.slice(1) || 'dashboard') : 'login';
  for (const p of pages) $(p).hidden = p !== page;
  $('nav').hidden = !state.auth;
  $('status').textContent = '';
  $('notice').textContent = '';
  const load = loaders[page];
  if (!load) return;
  const run = () => load().catch(e => { $('status').textContent = e.message; });
  await run();
  // Only the latest show() polls: an earlier one still loading must not leave a second timer behind.
  if (page === 'dashboard' && shown === state.shown) state.timer = setInterval(run, 2000);
}

function logout(message) {
  state.auth = null;
  sessionStorage.removeItem('converge.auth');
  $('login-error').textContent = message || '';
  show();
}

document.addEventListener('DOMContentLoaded', () => {
  $('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = $('token').value.trim();
    state.auth = token ? 'Bearer ' + token : 'Basic ' + btoa(unescape(encodeURIComponent($('account').value + ':' + $('password').value)));
    try {
      await api('GET', '/api/status');
      sessionStorage.setItem('converge.auth', state.auth);
      $('login-error').textContent = '';
      // A changed hash shows the page through hashchange; showing it here too would poll twice.
      if (location.hash === '#dashboard') show(); else location.hash = '#dashboard';
    } catch (e) {
      if (e.message !== '401') $('login-error').textContent = e.message;
    }
  });
  $('logout').addEventListener('click', () => logout());
  $('user-filter').addEventListener('submit', (event) => { event.preventDefault(); users().catch(e => { $('status').textContent = e.message; }); });
  $('reload').addEventListener('click', async () => {
    try { await api('POST', '/api/agreements/reload', {}); agreements(); } catch (e) { $('status').textContent = e.message; }
  });
  window.addEventListener('hashchange', show);
  show();
});

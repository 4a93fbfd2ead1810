#!/usr/bin/env node
// A simulated SMS network for tests: an SMSC built on the npm `smpp` package that
// - accepts binds (transceiver, transmitter, receiver) from several providers (system_id/password),
// - routes submit_sm by the longest number prefix to the provider that owns the destination range,
//   or else to a "handset" (an inbox per +E164 number),
// - answers with message ids and sends delivery receipts when registered_delivery asks for them,
// - lets a test read inboxes, send mobile-originated SMS, throttle, drop binds, send raw bytes,
//   leave submissions unanswered, through a small JSON-over-HTTP control server on 127.0.0.1.
// Everything it puts on the wire is exactly what it is told: short_message is always a raw
// buffer with an explicit data_coding (the smpp package would otherwise guess and label GSM as 1).
//
// Usage: node smsc.js [--smpp-port N] [--control-port N] [--provider systemId:password[:prefix,prefix]]... [--exit-with-stdin]
// Port 0 (the default) picks a free port. The first stdout line is
// {"event":"ready","smppPort":N,"controlPort":M}; diagnostics go to stderr.
'use strict';

const http = require('http');
const smpp = require('smpp');
const iconv = require('iconv-lite');

// ---------------------------------------------------------------------------------------------
// Keep the raw short_message next to the package's decoding, so tests see the exact octets.
const packageDecode = smpp.filters.message.decode;
smpp.filters.message.decode = function (value, skipUdh) {
	const result = packageDecode.call(this, value, skipUdh);
	if (Buffer.isBuffer(value) && result && typeof result === 'object') {
		result.raw = Buffer.from(value);
	}
	return result;
};

const STATUS = smpp.errors;
const ESM_UDHI = 0x40;
const ESM_RECEIPT = 0x04;
const STATE_DELIVERED = 2;
const STATE_UNDELIVERABLE = 5;
// deliver_sm answers after which the SMSC tries again (-1: no answer, the bind closed); any other
// error status is permanent and the message is dropped.
const TRANSIENT_STATUSES = new Set([-1, STATUS.ESME_RSYSERR, STATUS.ESME_RMSGQFUL, STATUS.ESME_RTHROTTLED, STATUS.ESME_RX_T_APPN]);

// ---------------------------------------------------------------------------------------------
// Command line.
const args = process.argv.slice(2);
const options = { smppPort: 0, controlPort: 0, providers: [], exitWithStdin: false };
for (let i = 0; i < args.length; i++) {
	const flag = args[i];
	if (flag === '--exit-with-stdin') {
		options.exitWithStdin = true;
		continue;
	}
	const value = args[++i];
	if (value === undefined) fail(`missing value after ${flag}`);
	if (flag === '--smpp-port') options.smppPort = Number(value);
	else if (flag === '--control-port') options.controlPort = Number(value);
	else if (flag === '--provider') {
		const [systemId, password, prefixes] = value.split(':');
		options.providers.push({ systemId, password: password || '', prefixes: prefixes ? prefixes.split(',') : [] });
	} else fail(`unknown argument ${flag}`);
}

function fail(message) {
	process.stderr.write(`smsc: ${message}\n`);
	process.exit(2);
}

function log(...parts) {
	process.stderr.write(`smsc: ${parts.join(' ')}\n`);
}

// ---------------------------------------------------------------------------------------------
// Network state.
const config = {
	receipts: 'both',          // both | text | tlv | none
	messageIdFormat: 'hex',    // how submit_sm_resp renders ids: hex | decimal
	receiptIdFormat: 'same',   // how receipts render them: same | hex | decimal
	receiptDelayMs: 0,
	deliverTimeoutMs: 5000,
	retryDelayMs: 200,
};
const providers = new Map();   // systemId -> { systemId, password, prefixes, sessions:Set, queue:[], pumping }
const handsets = new Map();    // +number -> { number, reachable, inbox:[], pending:Map }
const submits = [];            // every submit_sm seen
const events = [];             // { index, time, type, ... }
let throttle = { count: 0, status: STATUS.ESME_RTHROTTLED, systemId: null };
let drop = { afterSubmits: 0, systemId: null };
let stall = { count: 0, systemId: null };
// The next `count` submit_sm are accepted and delivered, but their submit_sm_resp is never sent:
// the ESME cannot know the network has them (a response lost in a crash).
let withhold = { count: 0, systemId: null };
let nextMessageId = 0x2a0000 + Math.floor(Math.random() * 0x10000);
let nextSessionId = 1;
let nextMoReference = 1;
const inboxWaiters = new Set();

for (const p of options.providers) addProvider(p);

function addProvider({ systemId, password, prefixes }) {
	if (!systemId) throw new Error('systemId is required');
	const existing = providers.get(systemId);
	const provider = existing || { systemId, sessions: new Set(), queue: [], pumping: false };
	provider.password = password || '';
	provider.prefixes = (prefixes || []).map(normalizeNumber);
	providers.set(systemId, provider);
	return provider;
}

function record(type, details) {
	const event = Object.assign({ index: events.length, time: new Date().toISOString(), type }, details);
	events.push(event);
	if (events.length > 10000) events.splice(0, events.length - 10000);
	return event;
}

function normalizeNumber(text) {
	const t = String(text).trim();
	if (t.startsWith('+')) return t;
	if (t.startsWith('00')) return '+' + t.slice(2);
	return '+' + t;
}

function addressOf(ton, digits) {
	if (!digits) return '';
	if (digits.startsWith('+')) return digits;
	if (ton === 1 || (ton === 0 && /^\d{8,}$/.test(digits))) return '+' + digits;
	return digits;
}

function owner(number) {
	let best = null;
	let bestLength = -1;
	for (const provider of providers.values()) {
		for (const prefix of provider.prefixes) {
			if (number.startsWith(prefix) && prefix.length > bestLength) {
				best = provider;
				bestLength = prefix.length;
			}
		}
	}
	return best;
}

function handset(number) {
	let h = handsets.get(number);
	if (!h) {
		h = { number, reachable: true, inbox: [], pending: new Map() };
		handsets.set(number, h);
	}
	return h;
}

function renderId(value, format) {
	return format === 'decimal' ? String(value) : value.toString(16);
}

// ---------------------------------------------------------------------------------------------
// User data: UDH, concatenation, text.
function splitUdh(raw, esmClass) {
	if (!(esmClass & ESM_UDHI) || raw.length === 0 || raw[0] + 1 > raw.length) return { udh: null, body: raw };
	return { udh: raw.slice(0, raw[0] + 1), body: raw.slice(raw[0] + 1) };
}

function concatenationOf(udh, pdu) {
	if (udh) {
		let found = null;
		for (let i = 1; i + 1 < udh.length;) {
			const iei = udh[i];
			const length = udh[i + 1];
			const data = udh.slice(i + 2, i + 2 + length);
			if (iei === 0x00 && length === 3) found = { reference: data[0], total: data[1], sequence: data[2], kind: 'udh8' };
			if (iei === 0x08 && length === 4) found = { reference: (data[0] << 8) | data[1], total: data[2], sequence: data[3], kind: 'udh16' };
			i += 2 + length;
		}
		if (found) return found;
	}
	if (pdu.sar_msg_ref_num !== undefined && pdu.sar_total_segments !== undefined && pdu.sar_segment_seqnum !== undefined) {
		return { reference: pdu.sar_msg_ref_num, total: pdu.sar_total_segments, sequence: pdu.sar_segment_seqnum, kind: 'sar' };
	}
	return null;
}

function encodingName(dataCoding) {
	switch (dataCoding & 0x0f) {
		case 0: return 'GSM7';
		case 1: return 'IA5';
		case 3: return 'LATIN1';
		case 8: return 'UCS2';
		default: return 'DC' + dataCoding;
	}
}

// The body text as the smpp package decodes it (GSM for 0 and 1, UCS-2 for 8, Latin-1 for 3).
function decodeBody(body, dataCoding) {
	const fake = { data_coding: dataCoding, esm_class: 0 };
	const decoded = packageDecode.call(fake, Buffer.from(body), true);
	const message = decoded && typeof decoded === 'object' ? decoded.message : decoded;
	return Buffer.isBuffer(message) ? message.toString('hex') : String(message);
}

// ---------------------------------------------------------------------------------------------
// Handsets: parts from submit_sm, reassembled into an inbox.
function deliverToHandset(number, part) {
	const h = handset(number);
	const c = part.concatenation;
	if (!c || c.total <= 1) {
		addToInbox(h, [part]);
		return;
	}
	const key = `${part.from}|${c.kind === 'udh16' ? 16 : 8}|${c.reference}|${c.total}`;
	let pending = h.pending.get(key);
	if (!pending) {
		pending = { parts: new Array(c.total).fill(null), first: Date.now() };
		h.pending.set(key, pending);
	}
	if (c.sequence >= 1 && c.sequence <= c.total) {
		if (pending.parts[c.sequence - 1]) {
			record('duplicate-part', { to: number, from: part.from, reference: c.reference, sequence: c.sequence });
		}
		pending.parts[c.sequence - 1] = part;
	}
	if (pending.parts.every(p => p)) {
		h.pending.delete(key);
		addToInbox(h, pending.parts);
	}
}

function addToInbox(h, parts) {
	const first = parts[0];
	const message = {
		from: first.from,
		to: h.number,
		text: parts.map(p => p.text).join(''),
		encoding: encodingName(first.dataCoding),
		dataCoding: first.dataCoding,
		reference: first.concatenation ? first.concatenation.reference : null,
		messageIds: parts.map(p => p.messageId),
		parts: parts.map(publicPart),
		receivedAt: new Date().toISOString(),
	};
	h.inbox.push(message);
	record('handset-message', { to: h.number, from: message.from, parts: parts.length });
	for (const waiter of [...inboxWaiters]) waiter();
}

function publicPart(p) {
	return {
		messageId: p.messageId,
		systemId: p.systemId,
		dataCoding: p.dataCoding,
		esmClass: p.esmClass,
		registeredDelivery: p.registeredDelivery,
		sourceTon: p.sourceTon,
		sourceNpi: p.sourceNpi,
		destTon: p.destTon,
		destNpi: p.destNpi,
		udh: p.udh ? p.udh.toString('hex') : null,
		shortMessage: p.raw.toString('hex'),
		text: p.text,
		concatenation: p.concatenation,
	};
}

// ---------------------------------------------------------------------------------------------
// Deliveries to provider binds: one queue per provider, sent one at a time, in order; a PDU
// stays queued until a bind answers it with ESME_ROK (store and forward across reconnects).
function enqueue(provider, pduOptions, onDelivered, description) {
	provider.queue.push({ pduOptions, onDelivered, description, attempts: 0 });
	pump(provider);
}

function receivingSessions(provider) {
	return [...provider.sessions].filter(s => s.bound && s.mode !== 'transmitter' && !s.socket.destroyed);
}

function pump(provider) {
	if (provider.pumping || provider.queue.length === 0) return;
	const sessions = receivingSessions(provider);
	if (sessions.length === 0) return;
	provider.pumping = true;
	const item = provider.queue[0];
	const session = sessions[item.attempts % sessions.length];
	item.attempts++;
	let settled = false;
	const settle = (status, reason) => {
		if (settled) return;
		settled = true;
		clearTimeout(timer);
		session.removeListener('close', onClose);
		provider.pumping = false;
		if (status === STATUS.ESME_ROK) {
			provider.queue.shift();
			record('delivered', { systemId: provider.systemId, session: session.id, what: item.description });
			if (item.onDelivered) item.onDelivered();
			setImmediate(() => pump(provider));
		} else if (TRANSIENT_STATUSES.has(status)) {
			record('delivery-refused', { systemId: provider.systemId, session: session.id, what: item.description, status, reason });
			setTimeout(() => pump(provider), config.retryDelayMs);
		} else {
			// A permanent error (ESME_RINVSRCADR, say): the message is given up, as a real SMSC does.
			provider.queue.shift();
			record('delivery-rejected', { systemId: provider.systemId, session: session.id, what: item.description, status, response: reason, source: item.pduOptions.source_addr });
			setImmediate(() => pump(provider));
		}
	};
	const onClose = () => settle(-1, 'bind closed');
	const timer = setTimeout(() => settle(-1, 'no deliver_sm_resp'), config.deliverTimeoutMs);
	session.once('close', onClose);
	const pdu = new smpp.PDU('deliver_sm', Object.assign({}, item.pduOptions));
	const sent = session.send(pdu, resp => settle(resp.command_status, resp.command));
	if (!sent) settle(-1, 'socket not writable');
}

function deliverSmOptions({ from, source, to, esmClass, dataCoding, shortMessage, tlvs }) {
	const o = {
		source_addr_ton: source ? source.ton : from.startsWith('+') ? 1 : 5,
		source_addr_npi: source ? source.npi : from.startsWith('+') ? 1 : 0,
		source_addr: source ? source.addr : from.replace(/^\+/, ''),
		dest_addr_ton: to.startsWith('+') ? 1 : 0,
		dest_addr_npi: to.startsWith('+') ? 1 : 0,
		destination_addr: to.replace(/^\+/, ''),
		esm_class: esmClass,
		data_coding: dataCoding,
		short_message: shortMessage,
	};
	return Object.assign(o, tlvs || {});
}

// ---------------------------------------------------------------------------------------------
// Delivery receipts.
function smppTime(date) {
	const two = n => String(n).padStart(2, '0');
	return two(date.getUTCFullYear() % 100) + two(date.getUTCMonth() + 1) + two(date.getUTCDate()) + two(date.getUTCHours()) + two(date.getUTCMinutes());
}

function sendReceipt(part, delivered) {
	if (config.receipts === 'none' || !(part.registeredDelivery & 0x03)) return;
	if ((part.registeredDelivery & 0x03) === 2 && delivered) return; // failure receipts only
	const provider = providers.get(part.systemId);
	if (!provider) return;
	const format = config.receiptIdFormat === 'same' ? config.messageIdFormat : config.receiptIdFormat;
	const id = renderId(part.messageNumber, format);
	const stat = delivered ? 'DELIVRD' : 'UNDELIV';
	const now = new Date();
	const text = `id:${id} sub:001 dlvrd:${delivered ? '001' : '000'} submit date:${smppTime(part.submittedAt)} done date:${smppTime(now)} stat:${stat} err:${delivered ? '000' : '001'} text:${String(part.text).slice(0, 20)}`;
	const tlvs = {};
	if (config.receipts === 'both' || config.receipts === 'tlv') {
		tlvs.receipted_message_id = id;
		tlvs.message_state = delivered ? STATE_DELIVERED : STATE_UNDELIVERABLE;
	}
	const body = config.receipts === 'tlv' ? Buffer.alloc(0) : Buffer.from(text, 'latin1');
	const send = () => enqueue(provider, deliverSmOptions({
		from: part.to, to: part.from, esmClass: ESM_RECEIPT, dataCoding: 0, shortMessage: body, tlvs,
	}), null, `receipt ${id} ${stat}`);
	if (config.receiptDelayMs > 0) setTimeout(send, config.receiptDelayMs);
	else send();
}

// ---------------------------------------------------------------------------------------------
// submit_sm from a provider.
function onSubmit(session, pdu) {
	if (!session.bound || session.mode === 'receiver') {
		session.send(pdu.response({ command_status: STATUS.ESME_RINVBNDSTS }));
		return;
	}
	const provider = providers.get(session.systemId);
	if (drop.afterSubmits > 0 && (!drop.systemId || drop.systemId === session.systemId)) {
		drop.afterSubmits--;
		if (drop.afterSubmits === 0) {
			record('drop', { systemId: session.systemId, session: session.id, sequence: pdu.sequence_number });
			log(`dropping bind ${session.id} of ${session.systemId} on submit_sm ${pdu.sequence_number}`);
			session.destroy();
			return;
		}
	}
	if (stall.count > 0 && (!stall.systemId || stall.systemId === session.systemId)) {
		stall.count--;
		record('stalled', { systemId: session.systemId, sequence: pdu.sequence_number });
		return;
	}
	if (throttle.count > 0 && (!throttle.systemId || throttle.systemId === session.systemId)) {
		throttle.count--;
		record('throttled', { systemId: session.systemId, sequence: pdu.sequence_number, status: throttle.status });
		session.send(pdu.response({ command_status: throttle.status }));
		return;
	}

	const sm = pdu.short_message && typeof pdu.short_message === 'object' ? pdu.short_message : { raw: Buffer.alloc(0), message: '' };
	const raw = sm.raw || Buffer.alloc(0);
	const { udh, body } = splitUdh(raw, pdu.esm_class);
	const messageNumber = nextMessageId++;
	const part = {
		messageNumber,
		messageId: renderId(messageNumber, config.messageIdFormat),
		systemId: session.systemId,
		from: addressOf(pdu.source_addr_ton, pdu.source_addr),
		to: addressOf(pdu.dest_addr_ton, pdu.destination_addr),
		sourceTon: pdu.source_addr_ton,
		sourceNpi: pdu.source_addr_npi,
		destTon: pdu.dest_addr_ton,
		destNpi: pdu.dest_addr_npi,
		esmClass: pdu.esm_class,
		dataCoding: pdu.data_coding,
		registeredDelivery: pdu.registered_delivery,
		raw,
		udh,
		text: decodeBody(body, pdu.data_coding),
		concatenation: concatenationOf(udh, pdu),
		submittedAt: new Date(),
	};
	submits.push(Object.assign(publicPart(part), { from: part.from, to: part.to, time: part.submittedAt.toISOString() }));
	if (withhold.count > 0 && (!withhold.systemId || withhold.systemId === session.systemId)) {
		withhold.count--;
		record('withheld', { systemId: session.systemId, session: session.id, sequence: pdu.sequence_number, to: part.to, messageId: part.messageId });
		log(`withholding the submit_sm_resp of ${part.messageId} (sequence ${pdu.sequence_number}) from ${session.systemId}`);
	} else {
		session.send(pdu.response({ message_id: part.messageId }));
	}
	record('submit', { systemId: session.systemId, session: session.id, from: part.from, to: part.to, messageId: part.messageId });

	const target = owner(part.to);
	if (target) {
		// Another provider's range: pass the part through unchanged as a mobile-originated deliver_sm.
		const tlvs = {};
		for (const name of ['sar_msg_ref_num', 'sar_total_segments', 'sar_segment_seqnum']) {
			if (pdu[name] !== undefined) tlvs[name] = pdu[name];
		}
		enqueue(target, deliverSmOptions({
			from: part.from, to: part.to, esmClass: pdu.esm_class & ESM_UDHI, dataCoding: pdu.data_coding, shortMessage: raw, tlvs,
		}), () => sendReceipt(part, true), `message ${part.messageId} to ${part.to}`);
		return;
	}
	const h = handset(part.to);
	if (!h.reachable) {
		record('undeliverable', { to: part.to, messageId: part.messageId });
		sendReceipt(part, false);
		return;
	}
	deliverToHandset(part.to, part);
	sendReceipt(part, true);
}

// ---------------------------------------------------------------------------------------------
// Mobile-originated SMS from a handset.
function encodeText(text, encoding) {
	const wanted = (encoding || 'auto').toLowerCase();
	if (wanted === 'ucs2' || (wanted === 'auto' && !smpp.encodings.ASCII.match(text))) {
		return { bytes: iconv.encode(text, 'utf16-be'), dataCoding: 8, unit: 2 };
	}
	if (wanted === 'latin1') return { bytes: iconv.encode(text, 'latin1'), dataCoding: 3, unit: 1 };
	return { bytes: smpp.gsmCoder.encode(text, 0), dataCoding: 0, unit: 1 };
}

// Cuts encoded text into parts of at most `size` octets, never inside an ESC pair (GSM) or a
// surrogate pair (UCS-2).
function cut(bytes, size, dataCoding) {
	const parts = [];
	let start = 0;
	while (start < bytes.length) {
		let end = Math.min(start + size, bytes.length);
		if (end < bytes.length) {
			if (dataCoding === 8) {
				const last = bytes.readUInt16BE(end - 2);
				if (last >= 0xd800 && last <= 0xdbff) end -= 2;
			} else if (bytes[end - 1] === 0x1b) {
				end -= 1;
			}
		}
		parts.push(bytes.slice(start, end));
		start = end;
	}
	return parts;
}

function buildMo(body) {
	if (Array.isArray(body.parts)) {
		return body.parts.map(p => ({
			esmClass: p.esmClass || 0,
			dataCoding: p.dataCoding || 0,
			shortMessage: Buffer.from(p.shortMessage || '', 'hex'),
			tlvs: p.tlvs || {},
		}));
	}
	const { bytes, dataCoding } = encodeText(String(body.text || ''), body.encoding);
	const label = body.dataCoding !== undefined ? body.dataCoding : dataCoding;
	const single = dataCoding === 8 ? 140 : 160;
	const concat = body.concat || 'udh8';
	if (bytes.length <= single || concat === 'none') {
		return [{ esmClass: 0, dataCoding: label, shortMessage: bytes, tlvs: {} }];
	}
	if (concat === 'payload') {
		return [{ esmClass: 0, dataCoding: label, shortMessage: Buffer.alloc(0), tlvs: { message_payload: bytes } }];
	}
	const reference = body.reference !== undefined ? body.reference : nextMoReference++ & (concat === 'udh16' ? 0xffff : 0xff);
	let size;
	if (concat === 'sar') size = single;
	else if (dataCoding === 8) size = concat === 'udh16' ? 132 : 134;
	else size = concat === 'udh16' ? 152 : 153;
	const chunks = cut(bytes, size, dataCoding);
	return chunks.map((chunk, i) => {
		if (concat === 'sar') {
			return {
				esmClass: 0, dataCoding: label, shortMessage: chunk,
				tlvs: { sar_msg_ref_num: reference, sar_total_segments: chunks.length, sar_segment_seqnum: i + 1 },
			};
		}
		const udh = concat === 'udh16'
			? Buffer.from([6, 8, 4, reference >> 8, reference & 0xff, chunks.length, i + 1])
			: Buffer.from([5, 0, 3, reference, chunks.length, i + 1]);
		return { esmClass: ESM_UDHI, dataCoding: label, shortMessage: Buffer.concat([udh, chunk]), tlvs: {} };
	});
}

// A mobile-originated SMS whose source address is written on the wire exactly as given (an
// alphanumeric sender, a spoofed or malformed one): {sourceAddr, sourceTon, sourceNpi?, to, text, ...}.
function sendRawSourceMo(body) {
	if (typeof body.sourceAddr !== 'string' || body.sourceTon === undefined) {
		throw Object.assign(new Error('sourceAddr and sourceTon are required'), { status: 400 });
	}
	const source = { addr: body.sourceAddr, ton: Number(body.sourceTon), npi: Number(body.sourceNpi || 0) };
	return sendMo(body.sourceAddr, body, source);
}

function sendMo(from, body, source) {
	const to = normalizeNumber(body.to);
	const target = owner(to);
	if (!target) throw Object.assign(new Error(`no provider owns ${to}`), { status: 404 });
	let parts = buildMo(body);
	if (Array.isArray(body.omit)) parts = parts.filter((_, i) => !body.omit.includes(i + 1));
	let order = parts.map((_, i) => i);
	if (Array.isArray(body.order)) order = body.order.map(n => n - 1).filter(i => i >= 0 && i < parts.length);
	if (Array.isArray(body.duplicate)) for (const n of body.duplicate) if (n >= 1 && n <= parts.length) order.push(n - 1);
	for (const i of order) {
		const p = parts[i];
		enqueue(target, deliverSmOptions({ from, source, to, esmClass: p.esmClass, dataCoding: p.dataCoding, shortMessage: p.shortMessage, tlvs: p.tlvs }),
			null, `mo from ${from} to ${to} part ${i + 1}/${parts.length}`);
	}
	record('mo', { from, to, systemId: target.systemId, parts: parts.length, sent: order.length });
	return { systemId: target.systemId, parts: parts.length, sent: order.length, queued: target.queue.length };
}

// ---------------------------------------------------------------------------------------------
// The SMPP server.
const server = smpp.createServer(session => {
	session.id = nextSessionId++;
	session.bound = false;
	record('connect', { session: session.id });

	const onBind = mode => pdu => {
		const provider = providers.get(pdu.system_id);
		let status = STATUS.ESME_ROK;
		if (session.bound) status = STATUS.ESME_RALYBND;
		else if (!provider) status = STATUS.ESME_RINVSYSID;
		else if (provider.password !== pdu.password) status = STATUS.ESME_RINVPASWD;
		if (status !== STATUS.ESME_ROK) {
			record('bind-refused', { session: session.id, systemId: pdu.system_id, status });
			session.send(pdu.response({ command_status: status }));
			return;
		}
		session.bound = true;
		session.mode = mode;
		session.systemId = pdu.system_id;
		provider.sessions.add(session);
		session.send(pdu.response({ system_id: 'SIMSMSC' }));
		record('bind', { session: session.id, systemId: session.systemId, mode });
		pump(provider);
	};
	session.on('bind_transceiver', onBind('transceiver'));
	session.on('bind_transmitter', onBind('transmitter'));
	session.on('bind_receiver', onBind('receiver'));
	session.on('enquire_link', pdu => session.send(pdu.response()));
	session.on('unbind', pdu => {
		record('unbind', { session: session.id, systemId: session.systemId });
		session.send(pdu.response());
		session.bound = false;
		session.close();
	});
	session.on('submit_sm', pdu => onSubmit(session, pdu));
	session.on('generic_nack', pdu => record('generic_nack', {
		session: session.id, systemId: session.systemId, sequence: pdu.sequence_number, status: pdu.command_status,
	}));
	session.on('unknown', pdu => session.send(pdu.response()));
	session.on('pdu', pdu => {
		record('pdu', { session: session.id, systemId: session.systemId || null, command: pdu.command, status: pdu.command_status, sequence: pdu.sequence_number });
		if (!pdu.isResponse() && !['bind_transceiver', 'bind_transmitter', 'bind_receiver', 'enquire_link', 'unbind', 'submit_sm', 'unknown'].includes(pdu.command)) {
			session.send(new smpp.PDU('generic_nack', { sequence_number: pdu.sequence_number, command_status: STATUS.ESME_RINVCMDID }));
		}
	});
	session.on('error', e => {
		record('session-error', { session: session.id, message: e.message });
		session.destroy();
	});
	session.on('close', () => {
		record('close', { session: session.id, systemId: session.systemId });
		const provider = session.systemId && providers.get(session.systemId);
		if (provider) provider.sessions.delete(session);
	});
});

// ---------------------------------------------------------------------------------------------
// The control server.
function bindsOf(systemId) {
	const all = [];
	for (const provider of providers.values()) {
		if (!systemId || provider.systemId === systemId) all.push(...provider.sessions);
	}
	return all;
}

function status() {
	return {
		smppPort: server.address().port,
		providers: [...providers.values()].map(p => ({
			systemId: p.systemId,
			prefixes: p.prefixes,
			binds: [...p.sessions].filter(s => s.bound).map(s => ({ session: s.id, mode: s.mode })),
			queued: p.queue.length,
		})),
		handsets: [...handsets.values()].map(h => ({ number: h.number, reachable: h.reachable, inbox: h.inbox.length, pending: h.pending.size })),
		throttle,
		drop,
		stall,
		config,
	};
}

function inboxOf(number, includeIncomplete) {
	const h = handsets.get(number);
	if (!h) return { number, messages: [], incomplete: [] };
	const result = { number, messages: h.inbox };
	if (includeIncomplete) {
		result.incomplete = [...h.pending.values()].map(p => ({ parts: p.parts.map(x => (x ? publicPart(x) : null)) }));
	}
	return result;
}

function waitForInbox(number, count, timeoutMs) {
	return new Promise(resolve => {
		const check = () => {
			const h = handsets.get(number);
			if (h && h.inbox.length >= count) {
				done();
				return true;
			}
			return false;
		};
		const done = () => {
			clearTimeout(timer);
			inboxWaiters.delete(check);
			resolve();
		};
		const timer = setTimeout(done, timeoutMs);
		if (!check()) inboxWaiters.add(check);
	});
}

async function route(method, path, query, body) {
	let m;
	if (method === 'GET' && path === '/status') return status();
	if (method === 'POST' && path === '/providers') {
		const p = addProvider(body);
		return { systemId: p.systemId, prefixes: p.prefixes };
	}
	if (method === 'POST' && path === '/config') {
		Object.assign(config, body);
		return config;
	}
	if ((m = path.match(/^\/handsets\/([^/]+)\/inbox$/)) && method === 'GET') {
		const number = normalizeNumber(decodeURIComponent(m[1]));
		const wait = Number(query.get('wait') || 0);
		if (wait > 0) await waitForInbox(number, wait, Number(query.get('timeout') || 10000));
		return inboxOf(number, query.get('incomplete') === '1');
	}
	if (method === 'POST' && path === '/mo') return sendRawSourceMo(body);
	if ((m = path.match(/^\/handsets\/([^/]+)\/send$/)) && method === 'POST') {
		return sendMo(normalizeNumber(decodeURIComponent(m[1])), body);
	}
	if ((m = path.match(/^\/handsets\/([^/]+)$/)) && method === 'POST') {
		const h = handset(normalizeNumber(decodeURIComponent(m[1])));
		if (body.reachable !== undefined) h.reachable = !!body.reachable;
		return { number: h.number, reachable: h.reachable };
	}
	if (method === 'POST' && path === '/throttle') {
		throttle = { count: Number(body.count || 0), status: body.status !== undefined ? Number(body.status) : STATUS.ESME_RTHROTTLED, systemId: body.systemId || null };
		return throttle;
	}
	if (method === 'POST' && path === '/withhold') {
		withhold = { count: Number(body.count || 0), systemId: body.systemId || null };
		return withhold;
	}
	if (method === 'POST' && path === '/stall') {
		stall = { count: Number(body.count || 0), systemId: body.systemId || null };
		return stall;
	}
	if (method === 'POST' && path === '/drop') {
		const after = Number(body.afterSubmits || 0);
		if (after > 0) {
			drop = { afterSubmits: after, systemId: body.systemId || null };
			return { armed: drop };
		}
		const binds = bindsOf(body.systemId);
		for (const s of binds) s.destroy();
		record('drop', { systemId: body.systemId || null, sessions: binds.map(s => s.id) });
		return { dropped: binds.length };
	}
	if (method === 'POST' && path === '/unbind') {
		const binds = bindsOf(body.systemId).filter(s => s.bound);
		for (const s of binds) s.unbind();
		return { unbound: binds.length };
	}
	if (method === 'POST' && path === '/raw') {
		const binds = bindsOf(body.systemId).filter(s => s.bound);
		const bytes = Buffer.from(String(body.hex || '').replace(/\s+/g, ''), 'hex');
		for (const s of binds) s.socket.write(bytes);
		return { sent: binds.length, octets: bytes.length };
	}
	if (method === 'GET' && path === '/submits') {
		const systemId = query.get('systemId');
		return submits.filter(s => !systemId || s.systemId === systemId);
	}
	if (method === 'GET' && path === '/events') {
		const since = Number(query.get('since') || 0);
		const type = query.get('type');
		return events.filter(e => e.index >= since && (!type || e.type === type));
	}
	throw Object.assign(new Error(`no route ${method} ${path}`), { status: 404 });
}

const control = http.createServer((req, res) => {
	let data = '';
	req.setEncoding('utf8');
	req.on('data', chunk => { data += chunk; });
	req.on('end', async () => {
		const url = new URL(req.url, 'http://127.0.0.1');
		let status = 200;
		let payload;
		try {
			const body = data ? JSON.parse(data) : {};
			payload = await route(req.method, url.pathname, url.searchParams, body);
		} catch (e) {
			status = e.status || 400;
			payload = { error: e.message };
		}
		const text = JSON.stringify(payload);
		res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
		res.end(text);
	});
});

server.on('error', e => fail(`SMPP listener: ${e.message}`));
control.on('error', e => fail(`control listener: ${e.message}`));
server.listen(options.smppPort, '127.0.0.1', () => {
	control.listen(options.controlPort, '127.0.0.1', () => {
		process.stdout.write(JSON.stringify({ event: 'ready', smppPort: server.address().port, controlPort: control.address().port }) + '\n');
	});
});

// --exit-with-stdin: the process that started this one owns it, and stdin closing means it is gone.
if (options.exitWithStdin) {
	process.stdin.on('end', () => process.exit(0));
	process.stdin.resume();
}
process.on('SIGTERM', () => process.exit(0));

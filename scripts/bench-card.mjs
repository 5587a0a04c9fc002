// `npm run bench:card`: the My Number Card path, measured end to end.
// 1. Through the real PC/SC stack (smartcard → pcscd → vsmartcard-vpcd → VirtualMyNumberCard):
//    APDU exchanges and milliseconds per identify (auth certificate, no PIN) and per authenticate
//    (PIN + signature of a challenge), with extended-length APDUs and with short ones.
// 2. Server-side verification (challenge issued, certificate chain/validity/key size/revocation and
//    signature checked, challenge consumed, audit written) through the HTTP API on embedded PGlite.
// Env: BENCH_CARD_ROUNDS (default 30), BENCH_VERIFY_ROUNDS (default 200).
// The last line is machine-readable key=value figures.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildIfNeeded, root } from './build-if-needed.mjs';

buildIfNeeded({ web: false });
const { authenticate, identify, MemoryTransport } = await import('@kazashi/jpki');
const { openVirtualReader, TestCa, VirtualMyNumberCard } = await import('@kazashi/jpki/virtual');
const server = (p) => import(path.join(root, 'packages/server/dist', p));
const { loadConfig } = await server('config.js');
const { createPlatform } = await server('platform/container.js');
const { buildApp } = await server('http/app.js');
const { seedDemo } = await server('demo/seed.js');
const { totpCode } = await server('staff/totp.js');
const { loadDemoTestCa } = await server('identity/index.js');

const ROUNDS = Number(process.env.BENCH_CARD_ROUNDS ?? 30);
const VERIFY_ROUNDS = Number(process.env.BENCH_VERIFY_ROUNDS ?? 200);
const PIN = '1234';
const holder = { name: '養父 花子', address: '兵庫県養父市八鹿町八鹿1675番地の1', birthDate: '1948-04-12', sex: 'female', authPin: PIN, signPin: 'KAZASHI1' };

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; };
const fmt = (n) => (Math.round(n * 10) / 10).toFixed(1);

async function cardPath(ca, extendedLength) {
  const card = await VirtualMyNumberCard.issue(ca, holder);
  const vr = await openVirtualReader({ card, slot: 0, quickack: true, connect: { extendedLength } });
  try {
    const out = {};
    for (const [name, op] of [
      ['identify', () => identify(vr.transport)],
      ['authenticate', () => authenticate(vr.transport, crypto.randomBytes(32), PIN)],
    ]) {
      await op(); // warm-up
      const ms = [];
      let exchanges = 0;
      for (let i = 0; i < ROUNDS; i++) {
        const t0 = performance.now();
        const r = await op();
        ms.push(performance.now() - t0);
        exchanges = r.exchanges;
      }
      out[name] = { exchanges, p50: pct(ms, 50), p99: pct(ms, 99), mean: ms.reduce((a, b) => a + b, 0) / ms.length };
    }
    return { ...out, reader: vr.readerName, quickack: vr.quickack };
  } finally {
    await vr.close();
  }
}

async function serverVerify() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kazashi-bench-card-'));
  try {
    const config = loadConfig({ KAZASHI_DATA_DIR: dataDir, LOG_LEVEL: 'silent', KAZASHI_LOGIN_RATE_LIMIT: '100000' });
    const platform = await createPlatform(config);
    const app = await buildApp(platform, { logger: false, serveWeb: false });
    const demo = await seedDemo(platform);
    const login = demo.logins.find((l) => l.loginName === 'yabu.shelter');
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { loginName: login.loginName, password: demo.password, totp: totpCode(login.totpSecret) } });
    const headers = { cookie: String(res.headers['set-cookie']).split(';')[0], 'x-csrf-token': res.json().csrfToken };
    const card = await VirtualMyNumberCard.issue(await loadDemoTestCa(config), holder);
    const transport = new MemoryTransport(card, { extendedLength: true });
    // Sign every challenge first (the card's work), then time only the server's verification.
    const touches = [];
    for (let i = 0; i < VERIFY_ROUNDS; i++) {
      const ch = (await app.inject({ method: 'POST', url: '/api/municipalities/282227/identity/challenges', headers, payload: { purpose: 'bench' } })).json();
      const r = await authenticate(transport, Buffer.from(ch.challenge, 'base64url'), PIN);
      touches.push({ challengeId: ch.challengeId, purpose: 'bench', certificate: Buffer.from(r.certificate).toString('base64'), signature: Buffer.from(r.signature).toString('base64') });
    }
    const ms = [];
    const t0 = performance.now();
    for (const payload of touches) {
      const t = performance.now();
      const v = await app.inject({ method: 'POST', url: '/api/municipalities/282227/identity/verify', headers, payload });
      ms.push(performance.now() - t);
      if (v.statusCode !== 200) throw new Error(`verify answered ${v.statusCode}: ${v.body}`);
    }
    const seconds = (performance.now() - t0) / 1000;
    await app.close();
    await platform.close();
    return { perSecond: touches.length / seconds, p50: pct(ms, 50), p99: pct(ms, 99) };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const ca = await TestCa.create();
const ext = await cardPath(ca, true);
const short = await cardPath(ca, false);
const verify = await serverVerify();

console.log(`\nreader: ${ext.reader}; loopback quickack: ${ext.quickack.detail ?? JSON.stringify(ext.quickack)}`);
console.log('path                       exchanges  p50 ms  p99 ms  mean ms');
for (const [label, r] of [['identify (extended)', ext.identify], ['authenticate (extended)', ext.authenticate], ['identify (short)', short.identify], ['authenticate (short)', short.authenticate]]) {
  console.log(`${label.padEnd(27)}${String(r.exchanges).padStart(9)}${fmt(r.p50).padStart(8)}${fmt(r.p99).padStart(8)}${fmt(r.mean).padStart(9)}`);
}
console.log(`server verify (HTTP, PGlite): ${fmt(verify.perSecond)} verifications/s, p50 ${fmt(verify.p50)} ms, p99 ${fmt(verify.p99)} ms (${VERIFY_ROUNDS} touches)`);
console.log([
  `identify_exchanges=${ext.identify.exchanges}`, `identify_ms_p50=${fmt(ext.identify.p50)}`, `identify_ms_p99=${fmt(ext.identify.p99)}`,
  `authenticate_exchanges=${ext.authenticate.exchanges}`, `authenticate_ms_p50=${fmt(ext.authenticate.p50)}`, `authenticate_ms_p99=${fmt(ext.authenticate.p99)}`,
  `short_identify_exchanges=${short.identify.exchanges}`, `short_identify_ms_p50=${fmt(short.identify.p50)}`,
  `short_authenticate_exchanges=${short.authenticate.exchanges}`, `short_authenticate_ms_p50=${fmt(short.authenticate.p50)}`,
  `verify_per_s=${fmt(verify.perSecond)}`, `verify_ms_p99=${fmt(verify.p99)}`,
].join(' '));

// `npm run bench:auth`: card-login verifications per second and latency with many kiosk sessions
// at once, on PostgreSQL. Each session is a staff (kiosk) session; phase 1 has every session fetch
// single-use challenges and sign them with a registered card's key (the card's work, not timed);
// phase 2 sends every card login with one request in flight per session, timed.
// Env: BENCH_AUTH_SESSIONS (default 200), BENCH_AUTH_PER_SESSION (default 10), BENCH_AUTH_CARDS (default 20),
//      BENCH_DATABASE_URL (admin URL of the PostgreSQL server; default postgres://postgres@127.0.0.1:5432/postgres).
// The last line is machine-readable key=value figures.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildIfNeeded, root } from './build-if-needed.mjs';

buildIfNeeded({ web: false });
const server = (p) => import(path.join(root, 'packages/server/dist', p));
const { loadConfig } = await server('config.js');
const { createPlatform } = await server('platform/container.js');
const { buildApp } = await server('http/app.js');
const { seedDemo } = await server('demo/seed.js');
const { totpCode } = await server('staff/totp.js');
const { loadDemoTestCa } = await server('identity/index.js');

const SESSIONS = Number(process.env.BENCH_AUTH_SESSIONS ?? 200);
const PER_SESSION = Number(process.env.BENCH_AUTH_PER_SESSION ?? 10);
const CARDS = Number(process.env.BENCH_AUTH_CARDS ?? 20);
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CODE = '282227';
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; };
const fmt = (n) => (Math.round(n * 10) / 10).toFixed(1);
const b64 = (b) => Buffer.from(b).toString('base64');

const dbName = `kazashi_bench_auth_${crypto.randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
await admin.query(`create database ${dbName}`);
const dbUrl = new URL(ADMIN_URL);
dbUrl.pathname = `/${dbName}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kazashi-bench-auth-'));
let app;
let platform;
try {
  const config = loadConfig({ KAZASHI_DATA_DIR: dataDir, DATABASE_URL: dbUrl.toString(), LOG_LEVEL: 'silent', KAZASHI_LOGIN_RATE_LIMIT: '1000000' });
  platform = await createPlatform(config);
  app = await buildApp(platform, { logger: false, serveWeb: false });
  const demo = await seedDemo(platform);
  const { port } = await app.listen({ port: 0, host: '127.0.0.1' }).then(() => app.server.address());
  const base = `http://127.0.0.1:${port}`;
  const call = async (agent, url, body) => {
    const res = await fetch(base + url, { method: 'POST', headers: { 'content-type': 'application/json', ...(agent ?? {}) }, body: JSON.stringify(body) });
    return { status: res.status, json: await res.json() };
  };
  const login = async (loginName, password, secret) => {
    const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ loginName, password, totp: totpCode(secret) }) });
    if (res.status !== 200) throw new Error(`login ${loginName}: ${res.status} ${await res.text()}`);
    return { cookie: res.headers.get('set-cookie').split(';')[0], 'x-csrf-token': (await res.json()).csrfToken };
  };

  console.log(`setting up: ${CARDS} registered cards, ${SESSIONS} kiosk sessions…`);
  const yabuAdmin = demo.logins.find((l) => l.loginName === 'yabu.admin');
  const adminAgent = await login(yabuAdmin.loginName, demo.password, yabuAdmin.totpSecret);
  const ca = await loadDemoTestCa(config);
  const cards = [];
  for (let i = 0; i < CARDS; i++) {
    const key = await ca.issue('auth');
    const ch = (await call(adminAgent, `/api/municipalities/${CODE}/identity/challenges`, { purpose: 'registration' })).json;
    const reg = await call(adminAgent, `/api/municipalities/${CODE}/registrations`, {
      challengeId: ch.challengeId, purpose: 'registration', certificate: b64(key.certificate),
      signature: b64(crypto.sign('sha256', Buffer.from(ch.challenge, 'base64url'), key.privateKeyPem)),
      basicFour: { name: `ベンチ 住民${i}`, address: '兵庫県養父市', birthDate: '1990-01-01', sex: 'other' }, consents: [],
    });
    if (reg.status !== 201) throw new Error(`registration: ${reg.status} ${JSON.stringify(reg.json)}`);
    cards.push(key);
  }
  const password = 'bench-kiosk-password';
  const sessions = [];
  for (let i = 0; i < SESSIONS; i++) {
    const { totpSecret } = await platform.staff.create('system', CODE, { loginName: `bench.kiosk${i}`, displayName: `kiosk ${i}`, roles: ['shelter_staff'], password });
    sessions.push(await login(`bench.kiosk${i}`, password, totpSecret));
  }

  // Phase 1: challenges fetched and signed by the cards (not timed).
  const touches = sessions.map(() => []);
  await Promise.all(sessions.map(async (agent, s) => {
    for (let i = 0; i < PER_SESSION; i++) {
      const ch = (await call(agent, `/api/municipalities/${CODE}/identity/challenges`, { purpose: 'login' })).json;
      const key = cards[(s * PER_SESSION + i) % cards.length];
      touches[s].push({ challengeId: ch.challengeId, purpose: 'login', certificate: b64(key.certificate), signature: b64(crypto.sign('sha256', Buffer.from(ch.challenge, 'base64url'), key.privateKeyPem)) });
    }
  }));

  // Phase 2: card logins, one in flight per session (timed).
  const ms = [];
  let failures = 0;
  const t0 = performance.now();
  await Promise.all(sessions.map(async (agent, s) => {
    for (const touch of touches[s]) {
      const t = performance.now();
      const r = await call(agent, `/api/municipalities/${CODE}/card-logins`, touch);
      ms.push(performance.now() - t);
      if (r.status !== 200) failures++;
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  const total = ms.length;
  console.log(`\nengine: postgres; sessions: ${SESSIONS}; card logins: ${total} (${failures} failed); ${fmt(seconds)} s`);
  console.log(`card-login verifications: ${fmt(total / seconds)}/s  p50 ${fmt(pct(ms, 50))} ms  p99 ${fmt(pct(ms, 99))} ms`);
  if (failures) process.exitCode = 1;
  console.log(`card_logins_per_s=${fmt(total / seconds)} card_login_p50_ms=${fmt(pct(ms, 50))} card_login_p99_ms=${fmt(pct(ms, 99))} sessions=${SESSIONS} failures=${failures}`);
} finally {
  await app?.close().catch(() => {});
  await platform?.close().catch(() => {});
  await admin.query(`drop database if exists ${dbName} with (force)`).catch(() => {});
  await admin.end();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

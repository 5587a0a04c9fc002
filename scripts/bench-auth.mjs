// `npm run bench:auth`: card-login verifications on PostgreSQL, with the built server in child
// processes (logging off), once per worker count in BENCH_AUTH_WORKERS. Setup (not timed): demo
// seeded by the server, BENCH_AUTH_CARDS residents registered by card touch, BENCH_AUTH_SESSIONS kiosk
// staff sessions, and for every login a single-use challenge fetched and signed by a card's key
// (the card's own work). Then two measurements of POST /api/municipalities/282227/card-logins:
//   closed loop: every session keeps one login in flight (BENCH_AUTH_PER_SESSION each): throughput;
//   open loop:   logins arrive at BENCH_AUTH_RATE per second for BENCH_SECONDS whatever the answers,
//                latency counted from each login's scheduled time (no coordinated omission).
// Every answer must be 200 (autocannon in the closed loop, fetch at the open loop's modest rate). Then pgbench TPC-B on a scratch database of the same server, for scale.
// Env: BENCH_AUTH_WORKERS (default 1,2), BENCH_AUTH_SESSIONS (200), BENCH_AUTH_PER_SESSION (20),
//      BENCH_AUTH_CARDS (20), BENCH_AUTH_RATE (100), BENCH_SECONDS (10), BENCH_PGBENCH (path or off),
//      BENCH_DATABASE_URL (admin URL; default postgres://postgres@127.0.0.1:5432/postgres), BENCH_NO_BUILD=1.
// The last line is machine-readable key=value figures.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { CODE, api, cleanup, ensureBuilt, fmt, freshDatabase, login, pct, root, run, sleep, startServer } from './lib/shelterBench.mjs';

const WORKERS = (process.env.BENCH_AUTH_WORKERS ?? '1,2').split(',').map(Number);
const SESSIONS = Number(process.env.BENCH_AUTH_SESSIONS ?? 200);
const PER_SESSION = Number(process.env.BENCH_AUTH_PER_SESSION ?? 20);
const CARDS = Number(process.env.BENCH_AUTH_CARDS ?? 20);
const RATE = Number(process.env.BENCH_AUTH_RATE ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PGBENCH = process.env.BENCH_PGBENCH ?? '/usr/lib/postgresql/15/bin/pgbench';
for (const [k, v] of Object.entries({ WORKERS: Math.min(...WORKERS), SESSIONS, PER_SESSION, CARDS, RATE, SECONDS })) {
  if (!(v > 0)) throw new Error(`bad ${k}: must be positive`);
}

const b64 = (b) => Buffer.from(b).toString('base64');
const sign = (key, challenge) => b64(crypto.sign('sha256', Buffer.from(challenge, 'base64url'), key.privateKeyPem));

ensureBuilt({ web: false });
const { loadConfig } = await import(path.join(root, 'packages/server/dist/config.js'));
const { loadDemoTestCa } = await import(path.join(root, 'packages/server/dist/identity/index.js'));

async function measure(workers) {
  const db = await freshDatabase('kazashi_bench_auth');
  // The demo test CA the server trusts, made here first so that the bench can issue cards from it.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kazashi-bench-auth-'));
  const ca = await loadDemoTestCa(loadConfig({ KAZASHI_DATA_DIR: dataDir }));
  const server = await startServer(db.url, { KAZASHI_DATA_DIR: dataDir, KAZASHI_WORKERS: String(workers), KAZASHI_LOGIN_RATE_LIMIT: '10000000' });
  try {
    console.log(`\n› ${server.workers} worker(s): ${CARDS} cards registered by touch, ${SESSIONS} kiosk sessions…`);
    const admin = await login(server, 'yabu.admin');
    const challenge = async (agent, purpose) => (await api(server, agent, 'POST', `/api/municipalities/${CODE}/identity/challenges`, { purpose }, [201])).json;
    const cards = [];
    for (let i = 0; i < CARDS; i++) {
      const key = await ca.issue('auth');
      const ch = await challenge(admin, 'registration');
      await api(server, admin, 'POST', `/api/municipalities/${CODE}/registrations`, {
        challengeId: ch.challengeId, purpose: 'registration', certificate: b64(key.certificate), signature: sign(key, ch.challenge),
        basicFour: { name: `ベンチ 住民${i}`, address: '兵庫県養父市', birthDate: '1990-01-01', sex: 'other' }, consents: [],
      }, [201]);
      cards.push(key);
    }
    const sessions = [];
    for (let i = 0; i < SESSIONS; i++) {
      const created = (await api(server, admin, 'POST', `/api/municipalities/${CODE}/staff`, {
        loginName: `bench.kiosk${i}`, displayName: `kiosk ${i}`, roles: ['shelter_staff'], password: 'bench-kiosk-password',
      }, [201])).json;
      server.secrets.set(`bench.kiosk${i}`, created.totpSecret);
      sessions.push(await login({ ...server, password: 'bench-kiosk-password' }, `bench.kiosk${i}`));
    }
    let n = 0;
    const touches = async (agent, count) => Promise.all(Array.from({ length: count }, async () => {
      const ch = await challenge(agent, 'login');
      const key = cards[n++ % cards.length];
      return { challengeId: ch.challengeId, purpose: 'login', certificate: b64(key.certificate), signature: sign(key, ch.challenge) };
    }));
    let failures = 0;
    const cardLogin = async (agent, touch) => {
      const res = await fetch(`${server.baseUrl}/api/municipalities/${CODE}/card-logins`, {
        method: 'POST', headers: { ...agent.headers, 'content-type': 'application/json' }, body: JSON.stringify(touch),
      });
      const text = await res.text();
      if (res.status !== 200) { failures++; if (failures < 5) console.error(`card login ${res.status}: ${text.slice(0, 200)}`); }
    };

    // Closed loop: SESSIONS logins in flight at all times (autocannon, a light client: the bench
    // shares the machine's cores with the server and PostgreSQL). Each request carries its own
    // session's cookie and CSRF token, since a challenge is bound to the session that fetched it.
    const prepared = [];
    for (const agent of sessions) for (const touch of await touches(agent, PER_SESSION)) prepared.push({ agent, touch });
    let turn = 0;
    const t0 = performance.now();
    let lastAnswer = t0;
    const r = await new Promise((resolve, reject) => {
      autocannon({
        url: server.baseUrl, connections: SESSIONS, pipelining: 1, amount: prepared.length, timeout: 30,
        requests: [{
          method: 'POST',
          setupRequest: (req) => {
            const { agent, touch } = prepared[turn++ % prepared.length];
            return { ...req, path: `/api/municipalities/${CODE}/card-logins`, headers: { ...agent.headers, 'content-type': 'application/json' }, body: JSON.stringify(touch) };
          },
          onResponse: (status, body) => { lastAnswer = performance.now(); if (status !== 200) { failures++; if (failures < 5) console.error(`card login ${status}: ${String(body).slice(0, 200)}`); } },
        }],
      }, (err, res) => (err ? reject(err) : resolve(res)));
    });
    // Until the last answer: autocannon's own duration is whole seconds, and it notices that it is
    // done only at its next one-second tick (which added up to a second to a run of about eight).
    const seconds = (lastAnswer - t0) / 1000;
    const closed = { perS: r.requests.total / seconds, p50: r.latency.p50, p99: r.latency.p99 };
    failures += r.errors + r.timeouts;
    console.log(`closed loop, ${SESSIONS} in flight: ${r.requests.total} card logins in ${fmt(seconds)} s: ${fmt(closed.perS)}/s  p50 ${fmt(closed.p50)} ms  p99 ${fmt(closed.p99)} ms`);

    // Open loop: arrivals at RATE per second, each on the next session in turn.
    const total = RATE * SECONDS;
    const arrivals = [];
    for (let i = 0; i < total; i++) arrivals.push({ agent: sessions[i % sessions.length] });
    const perSession = new Map();
    for (const a of arrivals) perSession.set(a.agent, (perSession.get(a.agent) ?? 0) + 1);
    const pools = new Map();
    for (const [agent, count] of perSession) pools.set(agent, await touches(agent, count));
    for (const a of arrivals) a.touch = pools.get(a.agent).pop();
    const openMs = [];
    const start = performance.now() + 100;
    await Promise.all(arrivals.map(async (a, i) => {
      const due = start + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      await cardLogin(a.agent, a.touch);
      openMs.push(performance.now() - due);
    }));
    const open = { p50: pct(openMs, 50), p99: pct(openMs, 99), max: Math.max(...openMs) };
    console.log(`open loop, ${RATE}/s for ${SECONDS} s: ${openMs.length} card logins  p50 ${fmt(open.p50)} ms  p99 ${fmt(open.p99)} ms  max ${fmt(open.max)} ms`);
    return { workers: server.workers, closed, open, failures };
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

let pgbenchTps = 'off';
try {
  const results = [];
  for (const w of WORKERS) results.push(await measure(w));
  if (PGBENCH !== 'off') {
    if (!fs.existsSync(PGBENCH)) throw new Error(`pgbench not found at ${PGBENCH} (set BENCH_PGBENCH, or off)`);
    const scratch = await freshDatabase('kazashi_bench_pgbench');
    const url = new URL(scratch.url);
    const args = ['-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username || 'postgres'), scratch.name];
    console.log('\n› pgbench TPC-B on a scratch database: -i -s 10, then -c 8 -j 2 -T 15…');
    await run(PGBENCH, ['-i', '-s', '10', '-q', ...args]);
    const out = await run(PGBENCH, ['-c', '8', '-j', '2', '-T', '15', ...args]);
    pgbenchTps = fmt(Number(/tps = ([\d.]+)/.exec(out)[1]));
    console.log(`pgbench TPC-B (scale 10, 8 clients): ${pgbenchTps} tps`);
  }
  const failures = results.reduce((a, r) => a + r.failures, 0);
  if (failures) process.exitCode = 1;
  const figures = results.flatMap((r) => [
    `w${r.workers}_card_logins_per_s=${fmt(r.closed.perS)}`, `w${r.workers}_closed_p50_ms=${fmt(r.closed.p50)}`, `w${r.workers}_closed_p99_ms=${fmt(r.closed.p99)}`,
    `w${r.workers}_open_${RATE}_per_s_p50_ms=${fmt(r.open.p50)}`, `w${r.workers}_open_${RATE}_per_s_p99_ms=${fmt(r.open.p99)}`,
  ]);
  const best = results.reduce((a, r) => (r.closed.perS > a.closed.perS ? r : a));
  console.log(`\ncard_logins_per_s=${fmt(best.closed.perS)} best_workers=${best.workers} ${figures.join(' ')} sessions=${SESSIONS} failures=${failures} pgbench_tps=${pgbenchTps}`);
} finally {
  await cleanup();
}

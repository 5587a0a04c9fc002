// `npm run bench`: HTTP throughput and latency of the built server on both database engines.
// For each engine (embedded PGlite, then PostgreSQL) it starts the real server as a child process on a
// fresh database, logs in as the demo account yabu.admin (password + TOTP from the demo output), and runs
// autocannon against GET /healthz and an authenticated tenant-scoped read. Every response must be 2xx.
//
// Env: BENCH_SECONDS (per target, default 10), BENCH_CONNECTIONS (default 20),
//      BENCH_ENGINES (comma list of pglite,pg; default both),
//      BENCH_DATABASE_URL (admin URL of the PostgreSQL server; default postgres://postgres@127.0.0.1:5432/postgres).
// The last line printed is machine-readable: `pglite_healthz_rps=... pglite_healthz_p99_ms=... ... pg_read_p99_ms=...`.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import * as OTPAuth from 'otpauth';
import pg from 'pg';
import { buildIfNeeded, root } from './build-if-needed.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const ENGINES = (process.env.BENCH_ENGINES ?? 'pglite,pg').split(',').map((s) => s.trim()).filter(Boolean);
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const LOGIN = 'yabu.admin';
const READ_PATH = '/api/municipalities/282227/staff';

if (!(SECONDS > 0)) throw new Error(`BENCH_SECONDS must be a positive number, not ${process.env.BENCH_SECONDS}`);
for (const e of ENGINES) if (e !== 'pglite' && e !== 'pg') throw new Error(`unknown engine in BENCH_ENGINES: ${e} (pglite, pg)`);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Everything to undo, newest first; run on success, failure and Ctrl-C.
const cleanups = [];
async function cleanup() {
  while (cleanups.length) {
    const fn = cleanups.pop();
    try {
      await fn();
    } catch (err) {
      console.error(`cleanup failed: ${err instanceof Error ? err.message : err}`);
    }
  }
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up…`);
    void cleanup().then(() => process.exit(130));
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function totpCode(secret, at = Date.now()) {
  return OTPAuth.TOTP.generate({ secret: OTPAuth.Secret.fromBase32(secret), period: 30, timestamp: at });
}

function parseDemo(stdout) {
  const pw = /One-time demo password[^:\n]*:\s*(\S+)/.exec(stdout);
  const secret = new RegExp(`^${LOGIN.replace('.', '\\.')}\\s+[a-z_,]+\\s+([A-Z2-7]+=*)\\s*$`, 'm').exec(stdout);
  return pw && secret ? { password: pw[1], secret: secret[1] } : undefined;
}

async function freshPostgresDatabase() {
  const name = `kazashi_bench_${crypto.randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`PostgreSQL is unreachable at ${ADMIN_URL} (${err.message}); set BENCH_DATABASE_URL, or BENCH_ENGINES=pglite to skip it`, { cause: err });
  }
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: ADMIN_URL });
    await c.connect();
    try {
      await c.query(`drop database if exists ${name} with (force)`);
    } finally {
      await c.end();
    }
  });
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Starts packages/server/dist/main.js; resolves once /healthz answers 200 and the demo logins were printed. */
async function startServer(engine) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `kazashi-bench-${engine}-`));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const databaseUrl = engine === 'pg' ? await freshPostgresDatabase() : undefined;
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KAZASHI_') && !k.startsWith('DATABASE_')));
  const env = {
    ...inherited, NODE_ENV: 'test', KAZASHI_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1',
    LOG_LEVEL: 'warn', KAZASHI_LOGIN_RATE_LIMIT: '100000', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
  const child = spawn(process.execPath, [path.join(root, 'packages/server/dist/main.js')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; output += d; });
  child.stderr.setEncoding('utf8').on('data', (d) => { output += d; });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  cleanups.push(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    if ((await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)])) === false) {
      child.kill('SIGKILL');
      await exited;
    }
  });

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`[${engine}] server exited (${child.exitCode ?? child.signalCode}) during start:\n${output}`);
    const ok = await fetch(`${baseUrl}/healthz`).then((r) => r.status === 200, () => false);
    const demo = parseDemo(stdout);
    if (ok && demo) return { baseUrl, ...demo, output: () => output };
    if (Date.now() > deadline) throw new Error(`[${engine}] server not ready (GET /healthz 200 and demo logins) within 60 s:\n${output}`);
    await sleep(250);
  }
}

async function login(server) {
  const res = await fetch(`${server.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ loginName: LOGIN, password: server.password, totp: totpCode(server.secret) }),
  });
  if (res.status !== 200) throw new Error(`login as ${LOGIN} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('kazashi_session='));
  if (!cookie) throw new Error(`login as ${LOGIN} set no kazashi_session cookie`);
  const probe = await fetch(`${server.baseUrl}${READ_PATH}`, { headers: { cookie } });
  if (probe.status !== 200) throw new Error(`GET ${READ_PATH} with the session answered ${probe.status}: ${await probe.text()}`);
  return cookie;
}

function cannon(opts) {
  return new Promise((resolve, reject) => {
    autocannon({ connections: CONNECTIONS, ...opts }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

async function measure(engine, target, url, headers = {}) {
  await cannon({ url, headers, duration: 1 }); // warm-up, not reported
  const r = await cannon({ url, headers, duration: SECONDS });
  const row = {
    engine, target,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    total: r.requests.total,
    ok2xx: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statuses: Object.entries(r.statusCodeStats ?? {}).map(([s, v]) => `${s}×${v.count}`).join(' '),
  };
  console.log(`  ${engine} ${target}: ${row.rps.toFixed(0)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, ${row.total} requests, non-2xx ${row.non2xx}, errors ${row.errors}`);
  return row;
}

function table(rows) {
  const head = ['engine', 'target', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'non-2xx', 'errors'];
  const body = rows.map((r) => [r.engine, r.target === 'healthz' ? 'GET /healthz' : `GET ${READ_PATH}`, r.rps.toFixed(0), String(r.p50), String(r.p99), String(r.total), String(r.non2xx), String(r.errors)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

const rows = [];
let failed = false;
try {
  buildIfNeeded();
  console.log(`Benchmark: ${SECONDS} s per target, ${CONNECTIONS} connections, engines ${ENGINES.join(', ')}`);
  for (const engine of ENGINES) {
    console.log(`› ${engine}: starting the server on a fresh database…`);
    const server = await startServer(engine);
    const cookie = await login(server);
    rows.push(await measure(engine, 'healthz', `${server.baseUrl}/healthz`));
    rows.push(await measure(engine, 'read', `${server.baseUrl}${READ_PATH}`, { cookie }));
    await cleanup(); // stop this engine's server (and drop its database) before the next engine runs
  }
} catch (err) {
  failed = true;
  console.error(`bench failed: ${err instanceof Error ? err.message : err}`);
} finally {
  await cleanup();
}

if (rows.length) {
  console.log('');
  console.log(table(rows));
  console.log('');
}
const bad = rows.filter((r) => r.non2xx > 0 || r.errors > 0 || r.timeouts > 0 || r.ok2xx !== r.total || r.total === 0);
for (const r of bad) console.error(`✗ ${r.engine} ${r.target}: ${r.non2xx} non-2xx responses, ${r.errors} errors, ${r.timeouts} timeouts of ${r.total} requests (${r.statuses || 'no responses'})`);
if (bad.length || failed) process.exitCode = 1;
else console.log('✓ every response was 2xx');

const fmt = (n) => (Number.isInteger(n) ? String(n) : n.toFixed(2));
console.log(rows.map((r) => `${r.engine}_${r.target}_rps=${Math.round(r.rps)} ${r.engine}_${r.target}_p99_ms=${fmt(r.p99)}`).join(' '));

// Shared helpers of the shelter benchmarks (bench-checkin.mjs, bench-dashboard.mjs): a fresh PostgreSQL
// database, the built server started in a child process on it (logging off, demo seeded), staff
// logins with the demo password and TOTP secrets the server prints on first start, and percentiles.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as OTPAuth from 'otpauth';
import pg from 'pg';
import { buildIfNeeded, root } from '../build-if-needed.mjs';

export { root };
export const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const CODE = '282227';
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** The built server to run: packages/server/dist, or BENCH_SERVER_DIST (another build of it; implies no build here). */
const SERVER_DIST = process.env.BENCH_SERVER_DIST ? path.resolve(process.env.BENCH_SERVER_DIST) : path.join(root, 'packages/server/dist');

/** The p-th percentile (nearest rank) of a list of numbers. */
export function pct(xs, p) {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
export const fmt = (n) => (Number.isFinite(n) ? (Math.round(n * 10) / 10).toFixed(1) : String(n));

/** Builds what is stale unless BENCH_NO_BUILD=1 (several people rebuilding the same dist at once clash). */
export function ensureBuilt({ web }) {
  if (process.env.BENCH_NO_BUILD === '1' || process.env.BENCH_SERVER_DIST) {
    const need = [path.join(SERVER_DIST, 'main.js'), ...(web ? [path.resolve(SERVER_DIST, '../../web/dist/index.html')] : []) /* where the server serves the web app from */];
    for (const f of need) if (!fs.existsSync(f)) throw new Error(`${f} is missing: build first (BENCH_NO_BUILD / BENCH_SERVER_DIST skip the build)`);
    return;
  }
  buildIfNeeded({ web });
}

// Everything to undo, newest first; run on success, failure and Ctrl-C.
const cleanups = [];
export function onCleanup(fn) { cleanups.push(fn); }
export async function cleanup() {
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

/** Runs `fn` with a client on the admin database (create/drop databases). */
async function withAdmin(fn) {
  const c = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  try {
    await c.connect();
  } catch (err) {
    throw new Error(`PostgreSQL is unreachable at ${ADMIN_URL} (${err.message}); set BENCH_DATABASE_URL`, { cause: err });
  }
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A new empty database on the server of ADMIN_URL, dropped at cleanup. Returns its URL. */
export async function freshDatabase(prefix) {
  const name = `${prefix}_${crypto.randomBytes(4).toString('hex')}`;
  await withAdmin((c) => c.query(`create database ${name}`));
  onCleanup(() => withAdmin((c) => c.query(`drop database if exists ${name} with (force)`)));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

/** A pg client on `url` as the owner (bulk seeding bypasses the API on purpose: it is setup, not measured). */
export async function ownerClient(url) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  onCleanup(() => c.end());
  return c;
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

function parseDemo(stdout) {
  const pw = /One-time demo password[^:\n]*:\s*(\S+)/.exec(stdout);
  if (!pw) return undefined;
  const secrets = new Map();
  for (const m of stdout.matchAll(/^([a-z]+\.[a-z]+)\s+[a-z_,]+\s+([A-Z2-7]+=*)\s*$/gm)) secrets.set(m[1], m[2]);
  return secrets.size ? { password: pw[1], secrets } : undefined;
}

/**
 * Starts packages/server/dist/main.js on `databaseUrl` (it migrates and seeds the demo), logging off
 * as in a quiet production; resolves once /healthz answers 200 and the demo logins were printed.
 */
export async function startServer(databaseUrl, env = {}) {
  // e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to see where the server spends its time.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kazashi-bench-shelter-'));
  onCleanup(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // The server's own settings come from here, except the check-in group-commit knobs (to compare them).
  const inherited = Object.fromEntries(Object.entries(process.env)
    .filter(([k]) => (!k.startsWith('KAZASHI_') || k.startsWith('KAZASHI_CHECKIN_BATCH_')) && !k.startsWith('DATABASE_')));
  // Server processes: BENCH_WORKERS, else the server's own default (one per core on PostgreSQL).
  if (process.env.BENCH_WORKERS) inherited.KAZASHI_WORKERS = process.env.BENCH_WORKERS;
  const child = spawn(process.execPath, [...nodeArgs, path.join(SERVER_DIST, 'main.js')], {
    cwd: root,
    env: {
      ...inherited, NODE_ENV: 'test', KAZASHI_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent',
      KAZASHI_LOGIN_RATE_LIMIT: '100000', KAZASHI_PUBLIC_URL: baseUrl, DATABASE_URL: databaseUrl, ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; output += d; });
  child.stderr.setEncoding('utf8').on('data', (d) => { output += d; });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    if ((await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)])) === false) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  onCleanup(stop);
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited (${child.exitCode ?? child.signalCode}) during start:\n${output}`);
    const ok = await fetch(`${baseUrl}/healthz`).then((r) => r.status === 200, () => false);
    const demo = parseDemo(stdout);
    // Several workers: measure only once every one of them listens.
    const starting = /kazashi: starting (\d+) workers/.exec(stdout);
    const allUp = !starting || stdout.includes(`kazashi: ${starting[1]} workers ready`);
    if (ok && demo && allUp) return { baseUrl, pid: child.pid, workers: starting ? Number(starting[1]) : 1, ...demo, stop, output: () => output };
    if (Date.now() > deadline) throw new Error(`server not ready (GET /healthz 200 and demo logins) within 90 s:\n${output}`);
    await sleep(250);
  }
}

/** Logs a demo staff account in (password + current TOTP); returns the session cookie and CSRF token. */
export async function login(server, loginName) {
  const secret = server.secrets.get(loginName);
  if (!secret) throw new Error(`no demo login ${loginName} in the server's output`);
  const totp = OTPAuth.TOTP.generate({ secret: OTPAuth.Secret.fromBase32(secret), period: 30, timestamp: Date.now() });
  const res = await fetch(`${server.baseUrl}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ loginName, password: server.password, totp }),
  });
  if (res.status !== 200) throw new Error(`login as ${loginName}: ${res.status} ${await res.text()}`);
  const setCookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('kazashi_session='));
  if (!setCookie) throw new Error(`login as ${loginName} set no kazashi_session cookie`);
  const { csrfToken } = await res.json();
  return { cookie: setCookie, sessionToken: setCookie.slice('kazashi_session='.length), csrfToken, headers: { cookie: setCookie, 'x-csrf-token': csrfToken } };
}

/** JSON request with a staff session; throws on a status other than `expect`. */
export async function api(server, agent, method, url, body, expect = [200, 201]) {
  const res = await fetch(server.baseUrl + url, {
    method,
    headers: { ...(agent?.headers ?? {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!expect.includes(res.status)) throw new Error(`${method} ${url}: ${res.status} ${text.slice(0, 500)}`);
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

/**
 * One open disaster and `count` open shelters of CODE (local ids B0001…), inserted as the owner.
 * `capacity` is a SQL expression of the row number n (a constant, or e.g. `150 + (n % 7) * 50`), never user input.
 */
export async function seedDisasterAndShelters(db, { count, capacity }) {
  const { rows: [d] } = await db.query(
    `insert into disaster (municipality_code, kind, name_ja, name_en, area, declared_by)
     values ($1, 'flood', 'ベンチマーク用 洪水', 'Benchmark flood', '市内全域', 'staff:bench') returning id`, [CODE]);
  // Spread over about 20 km around Yabu so a map has something to show; capacity per row from `capacity(n)`.
  const { rows } = await db.query(
    `insert into shelter (municipality_code, local_id, name_ja, name_en, address, latitude, longitude, hazards, also_evacuation_centre,
                          kind, capacity, capacity_night, status, disaster_id)
     select $1, 'B' || lpad(n::text, 4, '0'), 'ベンチ避難所 ' || n, 'Bench shelter ' || n, '兵庫県養父市 ' || n,
            round((35.30 + (n % 40) * 0.005)::numeric, 4), round((134.65 + (n / 40) * 0.008)::numeric, 4),
            array['flood','earthquake'], true, case when n % 25 = 0 then 'welfare' else 'general' end,
            ${capacity}, ${capacity}, 'open', $2
       from generate_series(1, $3::int) n
     returning id, local_id`, [CODE, d.id, count]);
  rows.sort((a, b) => a.local_id.localeCompare(b.local_id));
  return { disasterId: d.id, shelterIds: rows.map((r) => r.id) };
}

/** Runs a command, resolves with its stdout (rejects with its output on a non-zero exit). */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { out += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { err += d; });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out + err) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${out}${err}`))));
  });
}

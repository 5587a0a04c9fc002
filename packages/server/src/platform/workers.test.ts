// KAZASHI_WORKERS: several server processes on one port (PostgreSQL). The demo is seeded once, every
// worker answers, a worker that dies is replaced while the others keep serving, and the embedded
// database refuses more than one.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, freePort, freshPostgresDatabase, runCli, serverRoot } from '../test/harness.js';
import { programArgs } from '../test/programs.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Process ids whose parent is `pid` (ps exits 1 when there are none). */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).split('\n').map((l) => Number(l.trim())).filter(Boolean);
  } catch {
    return [];
  }
}

describe.runIf(ENGINES.includes('postgres'))('several server processes [postgres]', () => {
  let db: { url: string; drop: () => Promise<void> };
  let server: ChildProcess;
  let output = '';
  let base = '';
  let dataDir = '';

  beforeAll(async () => {
    db = await freshPostgresDatabase('kz_workers');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kazashi-workers-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, programArgs('main'), {
      cwd: serverRoot,
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', PORT: String(port), HOST: '127.0.0.1', KAZASHI_DATA_DIR: dataDir, DATABASE_URL: db.url, KAZASHI_WORKERS: '2' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.setEncoding('utf8').on('data', (d: string) => { output += d; });
    server.stderr!.setEncoding('utf8').on('data', (d: string) => { output += d; });
    const deadline = Date.now() + 90_000;
    // The primary says so once every worker listens (the second starts after the first has seeded).
    while (!/kazashi: 2 workers ready/.test(output) || !(await fetch(`${base}/readyz`).then((r) => r.ok, () => false))) {
      if (server.exitCode !== null) throw new Error(`server exited during start:\n${output}`);
      if (Date.now() > deadline) throw new Error(`not two ready workers in 90 s:\n${output}`);
      await sleep(200);
    }
  }, 120_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await Promise.race([new Promise((r) => server.once('exit', r)), sleep(15_000)]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    await db?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('seeds the demo once and serves from two processes', async () => {
    expect(childrenOf(server.pid!)).toHaveLength(2);
    expect(output.match(/One-time demo password/g)).toHaveLength(1);
    const owner = new pg.Client({ connectionString: db.url });
    await owner.connect();
    try {
      const { rows } = await owner.query<{ n: number }>(`select count(*)::int as n from staff_account where login_name = 'yabu.admin'`);
      expect(rows[0]!.n).toBe(1);
      // Each worker holds its own connections to the database.
      const { rows: procs } = await owner.query<{ n: number }>(`select count(distinct client_port)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`);
      expect(procs[0]!.n).toBeGreaterThanOrEqual(2);
    } finally {
      await owner.end();
    }
  });

  it('a worker that dies is replaced; the other keeps answering meanwhile', async () => {
    const [victim] = childrenOf(server.pid!);
    process.kill(victim!, 'SIGKILL');
    const statuses: number[] = [];
    const until = Date.now() + 3000;
    while (Date.now() < until) {
      statuses.push(await fetch(`${base}/healthz`).then((r) => r.status, () => 0));
      await sleep(50);
    }
    // The killed process's open connections may fail once; every new request finds the live worker.
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(statuses.length * 0.9);
    const deadline = Date.now() + 20_000;
    while ((childrenOf(server.pid!).length < 2 || childrenOf(server.pid!).includes(victim!)) && Date.now() < deadline) await sleep(200);
    const now = childrenOf(server.pid!);
    expect(now).toHaveLength(2);
    expect(now).not.toContain(victim);
    expect(output).toMatch(new RegExp(`worker ${victim} exited`));
  }, 60_000);
});

describe('KAZASHI_WORKERS on the embedded database', () => {
  it('refuses to start, naming the variable', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kazashi-workers-'));
    try {
      const r = await runCli(['migrate'], { KAZASHI_DATA_DIR: dataDir, KAZASHI_WORKERS: '2', DATABASE_URL: '' });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/KAZASHI_WORKERS=2 needs DATABASE_URL/);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

// Test support: every database suite runs on both engines — embedded PGlite and a real PostgreSQL
// server (a fresh database per test file at TEST_DATABASE_URL). With CI=true an unreachable
// PostgreSQL fails the run instead of being skipped.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { describe } from 'vitest';
import { loadConfig, type Config } from '../config.js';
import { migrationsDigest, openDatabase, type Database } from '../kernel/db/engine.js';
import { seedDemo } from '../demo/seed.js';
import type { DemoState } from '../kernel/module.js';
import { DEMO_RESIDENTS_FACT } from '../resident/index.js';
import { DEMO_STAFF_FACT, type DemoStaffFact } from '../staff/index.js';

/** What the demo seed made that tests use: the staff logins (password, TOTP secrets, principals) and the resident count. */
export interface DemoSeedResult extends DemoStaffFact {
  residents: number;
}

/** The demo seed's facts as tests use them. */
export function demoResult(state: DemoState): DemoSeedResult {
  return { ...(state.facts.get(DEMO_STAFF_FACT) as DemoStaffFact), residents: (state.facts.get(DEMO_RESIDENTS_FACT) as number | undefined) ?? 0 };
}
import { buildApp } from '../platform/app.js';
import { createPlatform, type Platform } from '../platform/container.js';
import { totpCode } from '../staff/index.js';
import { programArgs } from './programs.js';

export type Engine = 'pglite' | 'postgres';
export const APP_LOGIN_ROLE = 'kazashi_app_login';
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let pgReachable: Promise<boolean> | undefined;
export function postgresReachable(): Promise<boolean> {
  pgReachable ??= (async () => {
    const c = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
    try {
      await c.connect();
      await c.query('select 1');
      return true;
    } catch (err) {
      if (process.env.CI === 'true') throw new Error(`PostgreSQL at ${TEST_DATABASE_URL} is unreachable and CI=true: ${String(err)}`, { cause: err });
      console.warn(`PostgreSQL unreachable at ${TEST_DATABASE_URL}: PostgreSQL suites are skipped (set CI=true to fail instead)`);
      return false;
    } finally {
      await c.end().catch(() => {});
    }
  })();
  return pgReachable;
}

const reachable = await postgresReachable();
export const ENGINES: Engine[] = reachable ? ['pglite', 'postgres'] : ['pglite'];

/** `describe` once per engine. */
export function describeEachEngine(name: string, fn: (engine: Engine) => void) {
  for (const engine of ENGINES) describe(`${name} [${engine}]`, () => fn(engine));
}

/** Creates a fresh database on the test server (a copy of `template`, if given); returns its URL and a dropper. */
export async function freshPostgresDatabase(prefix = 'kz', template?: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}${template ? ` template ${template}` : ''}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export interface TestPlatform {
  engine: Engine;
  platform: Platform;
  app: FastifyInstance;
  config: Config;
  databaseUrl?: string;
  dataDir: string;
  demo: DemoSeedResult;
  close(): Promise<void>;
}

let migratedTemplate: Promise<string> | undefined;
/**
 * A database migrated as in production (the owner migrates; the app's login role is a member of
 * kazashi_app), made once per set of migrations and copied for every test (CREATE DATABASE … TEMPLATE).
 * Its name carries a hash of the migrations, so a changed migration makes a new one.
 */
function postgresTemplate(): Promise<string> {
  migratedTemplate ??= (async () => {
    const name = `kz_template_${migrationsDigest()}`;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      // Several test processes start at once: one makes it, the others wait for it.
      await admin.query('select pg_advisory_lock(hashtext($1))', [name]);
      const { rows } = await admin.query('select 1 from pg_database where datname = $1', [name]);
      if (!rows.length) {
        const made = `${name}_${crypto.randomBytes(3).toString('hex')}`;
        await admin.query(`create database ${made}`);
        const url = new URL(TEST_DATABASE_URL);
        url.pathname = `/${made}`;
        const owner = await openDatabase({ databaseUrl: url.toString(), poolSize: 1 });
        try {
          await owner.migrate();
          await owner.owner.execute(sql`DO $$ BEGIN CREATE ROLE kazashi_app_login LOGIN IN ROLE kazashi_app;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
        } finally {
          await owner.close();
        }
        // Renamed only when complete: a run interrupted midway leaves no half-migrated template.
        await admin.query(`alter database ${made} rename to ${name}`);
        // Templates of earlier migrations are no longer wanted (one in use by another run stays).
        const { rows: old } = await admin.query<{ datname: string }>(`select datname from pg_database where datname like 'kz\\_template\\_%' and datname <> $1`, [name]);
        for (const o of old) await admin.query(`drop database if exists ${o.datname}`).catch(() => {});
      }
      await admin.query('select pg_advisory_unlock(hashtext($1))', [name]);
      return name;
    } finally {
      await admin.end();
    }
  })();
  migratedTemplate.catch(() => { migratedTemplate = undefined; });
  return migratedTemplate;
}

export async function openTestDatabase(engine: Engine): Promise<{ db: Database; url?: string; drop: () => Promise<void> }> {
  if (engine === 'pglite') {
    // A copy of a database migrated once per test process.
    const db = await openDatabase({ premigrated: true });
    return { db, drop: async () => {} };
  }
  // As in production: the owner migrated (the template); the app connects as a login role that is only a member of kazashi_app.
  const fresh = await freshPostgresDatabase('kz', await postgresTemplate());
  const appUrl = new URL(fresh.url);
  appUrl.username = APP_LOGIN_ROLE;
  const db = await openDatabase({ databaseUrl: fresh.url, databaseAppUrl: appUrl.toString(), poolSize: 4 });
  return { db, url: fresh.url, drop: fresh.drop };
}

/** A migrated platform on `engine` with the demo seeded and an app ready for `inject`. */
export async function startTestPlatform(engine: Engine, env: Record<string, string> = {}): Promise<TestPlatform> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kazashi-test-'));
  const { db, url, drop } = await openTestDatabase(engine);
  // Tests change sessions under the server's feet: no cached lookups unless a test asks for them.
  const config = loadConfig({ KAZASHI_DATA_DIR: dataDir, LOG_LEVEL: 'silent', KAZASHI_SESSION_CACHE_MS: '0', ...env, ...(url ? { DATABASE_URL: url } : {}) });
  const platform = await createPlatform(config, { db, inMemoryVaults: true });
  const app = await buildApp(platform, { logger: false, serveWeb: false });
  const demo = demoResult(await seedDemo(platform));
  return {
    engine, platform, app, config, databaseUrl: url, dataDir, demo,
    async close() {
      await app.close();
      await platform.close();
      await drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface StaffAgent {
  cookie: string;
  csrf: string;
  headers: Record<string, string>;
}

/** Logs a demo account in (password + the current TOTP code) and returns what later requests need. */
export async function loginAs(t: TestPlatform, loginName: string, at = Date.now()): Promise<StaffAgent> {
  const login = t.demo.logins.find((l) => l.loginName === loginName);
  if (!login) throw new Error(`no demo login ${loginName}`);
  const res = await t.app.inject({
    method: 'POST', url: '/api/auth/login',
    payload: { loginName, password: t.demo.password, totp: totpCode(login.totpSecret, at) },
  });
  if (res.statusCode !== 200) throw new Error(`login ${loginName} failed: ${res.statusCode} ${res.body}`);
  const cookie = String(res.headers['set-cookie']).split(';')[0]!;
  const csrf = res.json<{ csrfToken: string }>().csrfToken;
  return { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf } };
}

/** TOTP codes are single-use per time step: logging the same account in twice needs a later step. */
export function nextStep(n: number): number {
  return Date.now() + n * 30_000;
}

export const serverRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/** Runs the real `kazashi` CLI (the build when it is current, else the sources: see programs.ts) and collects its output. */
export async function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, programArgs('cli', ...args), {
      cwd: serverRoot, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d; });
    child.stderr.on('data', (d: Buffer) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Every row of every table of the platform database, as text (for scanning for personal values). */
export async function dumpPlatformDatabase(db: Database): Promise<string> {
  const tables = ((await db.owner.execute(sql`select table_schema, table_name from information_schema.tables
    where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`)) as unknown as { rows: { table_schema: string; table_name: string }[] }).rows;
  let out = '';
  for (const t of tables) {
    const rows = ((await db.owner.execute(sql.raw(`select t::text as r from "${t.table_schema}"."${t.table_name}" t`))) as unknown as { rows: { r: string }[] }).rows;
    out += `${t.table_name}\n${rows.map((r) => r.r).join('\n')}\n`;
  }
  return out;
}

export interface AuditRow { actor: string; resident_id: string | null; purpose: string; categories: string[]; fields: string[] }

/** The audit entries of one municipality for `action`, oldest first. */
export async function auditEntries(t: TestPlatform, action: string, code = '282227'): Promise<AuditRow[]> {
  // Sealed or still waiting for the sealer (audit_trail), oldest first.
  return ((await t.platform.db.owner.execute(sql`select actor, resident_id, purpose, categories, fields from audit_trail
    where municipality_code = ${code} and action = ${action} order by sealed desc, seq, pending_id`)) as unknown as { rows: AuditRow[] }).rows;
}

/** A local TCP port that was free a moment ago (nothing listens on it until the caller does). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

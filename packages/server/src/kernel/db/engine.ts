import { AsyncLocalStorage } from 'node:async_hooks';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { memoryPglite } from './memoryPglite.js';

export type Db = PgDatabase<PgQueryResultHKT>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Who a transaction acts for. Policies read these settings; see drizzle/0001_rls_roles_audit.sql. */
export interface TenantContext {
  municipalityCode: string | null;
  platformAdmin?: boolean;
}

/** How a tenant transaction runs. */
export interface TenantOptions {
  /**
   * Plan every statement for its own parameters (plan_cache_mode force_custom_plan). For hot paths of
   * preparedQuery statements on tables that grow fast: after five executions PostgreSQL may settle on
   * one generic plan per connection, and one made while a table was still near empty, as at the start
   * of a disaster, keeps scanning it whole as it fills (seen: a check-in's read going from 1 to 11 ms
   * in half a minute). A custom plan sees the table's current size. Ignored on PGlite.
   */
  planEachTime?: boolean;
}

/**
 * A listener learns when it may have missed notifications: the listening connection dropped
 * (`lost`), then was made again and listens once more (`resumed`). What was announced in between
 * is gone, so a listener that keeps state derived from notifications re-reads it on `resumed`.
 */
export interface ListenGap {
  lost?(): void;
  resumed?(): void;
}

export const APP_ROLE = 'kazashi_app';
export const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../drizzle');

export interface Database {
  readonly engine: 'pglite' | 'postgres';
  /** The table owner. Only migrations, the CLI's verification and tests use it, never a request. */
  readonly owner: Db;
  /** Runs `fn` in one transaction as the app role, acting for `ctx`. Row-level security applies. */
  tenant<T>(ctx: TenantContext, fn: (tx: Tx) => Promise<T>, opts?: TenantOptions): Promise<T>;
  /**
   * One statement before any tenant is known, outside a transaction: only for SECURITY DEFINER
   * lookups (a session cookie's principal) on every request, where a transaction's extra round trips cost.
   */
  lookup<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  migrate(): Promise<void>;
  /** Resolves when the database answers (and, on PostgreSQL, the notification listener is connected). */
  ping(): Promise<void>;
  /**
   * Calls `onPayload` for every NOTIFY on `channel` (from any connection to the same database, i.e.
   * from every server instance), after the notifying transaction commits. Returns the unsubscriber.
   */
  listen(channel: string, onPayload: (payload: string) => void, gap?: ListenGap): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** The running tenant transaction's unit of work: what runs just before and once it has committed. */
interface UnitOfWork {
  beforeCommit: Map<object, (tx: Tx) => Promise<void>>;
  afterCommit: (() => void)[];
  locals: Map<object, unknown>;
}

const newUnitOfWork = (): UnitOfWork => ({ beforeCommit: new Map(), afterCommit: [], locals: new Map() });

/**
 * State that lives as long as the tenant transaction this is called in (made by `init` on first
 * use); undefined outside a transaction. Gone with the transaction, committed or not.
 */
export function transactionLocal<T>(key: object, init: () => T): T | undefined {
  const uow = inTransaction.getStore();
  if (!uow) return undefined;
  if (!uow.locals.has(key)) uow.locals.set(key, init());
  return uow.locals.get(key) as T;
}

/**
 * Runs `fn(tx)` once, as the last statements of the tenant transaction this is called in, before it
 * commits; `key` makes it once per transaction however often it is asked for (a buffer of rows
 * written in one statement: the audit entries of a request). A failure fails the transaction.
 * Outside a transaction there is nothing to wait for: an error.
 */
export function beforeCommit(key: object, fn: (tx: Tx) => Promise<void>): void {
  const uow = inTransaction.getStore();
  if (!uow) throw new Error('beforeCommit outside a tenant transaction');
  if (!uow.beforeCommit.has(key)) uow.beforeCommit.set(key, fn);
}

async function flushBeforeCommit(uow: UnitOfWork, tx: Tx): Promise<void> {
  // A hook may ask for another (rare): run until none is left.
  while (uow.beforeCommit.size) {
    const hooks = [...uow.beforeCommit.values()];
    uow.beforeCommit.clear();
    for (const fn of hooks) await fn(tx);
  }
}

/**
 * Runs `fn` once the tenant transaction this is called in has committed (not if it rolls back);
 * outside a transaction, at once. For work that must not see, or slow, an uncommitted transaction:
 * sealing the audit entries it wrote, announcing a change.
 */
export function afterCommit(fn: () => void): void {
  const uow = inTransaction.getStore();
  if (uow) uow.afterCommit.push(fn);
  else fn();
}

function committed(uow: UnitOfWork): void {
  for (const fn of uow.afterCommit) {
    try { fn(); } catch { /* a hook's failure is its own; the transaction has committed */ }
  }
}

// A transaction opened inside another one would wait forever on the embedded database's single
// connection (and waste a pooled one on PostgreSQL): fail loudly instead. Pass the outer `tx` down.
const inTransaction = new AsyncLocalStorage<UnitOfWork>();

async function runTenant<T>(db: Db, ctx: TenantContext, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (inTransaction.getStore()) throw new Error('nested tenant transaction: pass the outer tx instead');
  const uow = newUnitOfWork();
  const result = await inTransaction.run(uow, () => db.transaction(async (tx) => {
    await actAs(tx, ctx);
    const r = await fn(tx);
    await flushBeforeCommit(uow, tx);
    return r;
  }));
  committed(uow);
  return result;
}

async function actAs(tx: Tx, ctx: TenantContext): Promise<void> {
  // One round trip: set_config('role', …, true) is SET LOCAL ROLE.
  await tx.execute(sql`select set_config('app.municipality', ${ctx.municipalityCode ?? ''}, true),
    set_config('app.platform_admin', ${ctx.platformAdmin ? 'on' : ''}, true), set_config('role', ${APP_ROLE}, true)`);
}

const clientDbs = new WeakMap<pg.PoolClient, Tx>();
const txClients = new WeakMap<Tx, pg.PoolClient>();

/**
 * A hot-path statement whose text never changes (arrays go as one parameter each): on PostgreSQL a
 * named prepared statement on the transaction's connection, parsed once per connection (how it is
 * planned: see TenantOptions.planEachTime); on the embedded database the same text through
 * drizzle. Rows come back as the driver gives them (snake_case columns).
 */
export async function preparedQuery<R = Record<string, unknown>>(tx: Tx, name: string, text: string, values: unknown[]): Promise<R[]> {
  const client = txClients.get(tx);
  if (client) return (await client.query({ name, text, values })).rows as R[];
  const chunks = text.split(/\$(\d+)/);
  const query = sql.join(chunks.map((c, i) => (i % 2 === 0 ? sql.raw(c) : sql.param(values[Number(c) - 1]))), sql.raw(''));
  return ((await tx.execute(query)) as unknown as { rows: R[] }).rows;
}
const MUNICIPALITY_LITERAL = /^[0-9]{6}$/;

/**
 * PostgreSQL: BEGIN and the tenant settings go in one simple-protocol round trip (no parameters: the
 * code is checked to be six digits), then `fn` on that connection, then COMMIT. A check-in thus costs
 * one round trip less than drizzle's own transaction would.
 */
async function runPgTenant<T>(pool: pg.Pool, ctx: TenantContext, fn: (tx: Tx) => Promise<T>, opts: TenantOptions = {}): Promise<T> {
  if (inTransaction.getStore()) throw new Error('nested tenant transaction: pass the outer tx instead');
  const code = ctx.municipalityCode ?? '';
  if (code !== '' && !MUNICIPALITY_LITERAL.test(code)) throw new Error(`invalid municipality code for a tenant context: ${code}`);
  const client = await pool.connect();
  let tx = clientDbs.get(client);
  if (!tx) {
    clientDbs.set(client, (tx = drizzlePg({ client }) as unknown as Tx));
    txClients.set(tx, client);
  }
  let broken = false;
  const uow = newUnitOfWork();
  try {
    const hot = opts.planEachTime ? ", set_config('plan_cache_mode', 'force_custom_plan', true)" : '';
    await client.query(`begin; select set_config('app.municipality', '${code}', true), set_config('app.platform_admin', '${ctx.platformAdmin ? 'on' : ''}', true), set_config('role', '${APP_ROLE}', true)${hot}`);
    const result = await inTransaction.run(uow, async () => {
      const r = await fn(tx!);
      await flushBeforeCommit(uow, tx!);
      return r;
    });
    await client.query('commit');
    committed(uow);
    return result;
  } catch (e) {
    await client.query('rollback').catch(() => { broken = true; });
    throw e;
  } finally {
    client.release(broken);
  }
}

export interface OpenOptions {
  databaseUrl?: string;
  databaseAppUrl?: string;
  /** PGlite data directory; undefined means in memory. */
  pgliteDir?: string;
  /** In memory: start from a copy of a database migrated once per process (tests), not from nothing. */
  premigrated?: boolean;
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.databaseAppUrl, opts.poolSize ?? 10);
  return openPglite(opts.pgliteDir, opts.premigrated);
}

let digest: string | undefined;
/** What the migrations folder holds, as a hash: the name of a database migrated with exactly these. */
export function migrationsDigest(): string {
  if (digest) return digest;
  const hash = crypto.createHash('sha256');
  for (const f of fs.readdirSync(migrationsFolder, { recursive: true, encoding: 'utf8' }).sort()) {
    const p = path.join(migrationsFolder, f);
    if (fs.statSync(p).isFile()) hash.update(f).update('\0').update(fs.readFileSync(p));
  }
  digest = hash.digest('hex').slice(0, 12);
  return digest;
}

async function openPglite(dir?: string, premigrated = false): Promise<Database> {
  if (dir) fs.mkdirSync(dir, { recursive: true });
  const client = dir
    ? await PGlite.create({ dataDir: dir })
    : premigrated
      ? await memoryPglite(`platform-migrated:${migrationsDigest()}`, async (db) => { await migratePglite(drizzlePglite({ client: db }), { migrationsFolder }); })
      : await memoryPglite();
  const db = drizzlePglite({ client }) as unknown as Db;
  return {
    engine: 'pglite',
    owner: db,
    tenant: (ctx, fn) => runTenant(db, ctx, fn),
    lookup: (fn) => fn(db),
    migrate: async () => { await migratePglite(db as never, { migrationsFolder }); },
    ping: async () => { await client.query('select 1'); },
    // Embedded: one process, one connection; PGlite delivers notifications while finishing the
    // notifying statement, i.e. inside the writer's transaction context: leave that context, or the
    // handler's own (later) transactions would be refused as nested.
    listen: async (channel, onPayload) => {
      const unlisten = await client.listen(channel, (payload) => inTransaction.exit(() => onPayload(payload)));
      return async () => { if (!client.closed) await unlisten(); };
    },
    close: async () => { await client.close(); },
  };
}

/** How long a request waits for a connection (a new one, or a free one of a busy pool) before it is told 503. */
export const CONNECT_TIMEOUT_MS = 5_000;

/**
 * A pool that rides out a database outage. node-postgres emits 'error' on a client whose connection
 * drops: on the pool for an idle client, on the client itself for one checked out, where nobody
 * listens between two queries and Node would end the process. Every client gets a listener the moment
 * it connects; the query in flight (or the next one) fails, the transaction's error handling releases
 * the client as broken, and the pool connects afresh for the next request.
 */
export function createPool(connectionString: string, max: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString, max,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // A peer that vanished without a FIN (network partition) is noticed by TCP keepalive.
    keepAlive: true, keepAliveInitialDelayMillis: 10_000,
  });
  pool.on('error', () => { /* an idle client dropped: the pool replaces it on next use */ });
  pool.on('connect', (client) => { client.on('error', () => { /* the running query or the next one fails instead */ }); });
  return pool;
}

async function openPostgres(ownerUrl: string, appUrl: string | undefined, poolSize: number): Promise<Database> {
  const ownerPool = createPool(ownerUrl, appUrl ? 2 : poolSize);
  const appPool = appUrl ? createPool(appUrl, poolSize) : ownerPool;
  const owner = drizzlePg({ client: ownerPool }) as unknown as Db;
  const app = appUrl ? (drizzlePg({ client: appPool }) as unknown as Db) : owner;
  // LISTEN needs no privilege: the app role's login is enough (the owner's when there is no app login).
  const listener = new PgListener(appUrl ?? ownerUrl);
  return {
    engine: 'postgres',
    owner,
    tenant: (ctx, fn, opts) => runPgTenant(appPool, ctx, fn, opts),
    lookup: (fn) => fn(app),
    migrate: async () => {
      // Several instances may start at once: one migrates, the others wait.
      const client = await ownerPool.connect();
      try {
        await client.query('select pg_advisory_lock(727227)');
        await migratePg(drizzlePg({ client }) as never, { migrationsFolder });
      } finally {
        await client.query('select pg_advisory_unlock(727227)').catch(() => {});
        client.release();
      }
    },
    ping: async () => {
      await appPool.query('select 1');
      // Live dashboards depend on the listening connection: not ready until it listens again.
      if (!listener.listening) throw Object.assign(new Error('the notification listener is reconnecting'), { code: '08006' });
    },
    listen: (channel, onPayload, gap) => listener.listen(channel, onPayload, gap),
    close: async () => {
      await listener.close();
      await ownerPool.end();
      if (appPool !== ownerPool) await appPool.end();
    },
  };
}

interface Handler {
  onPayload(payload: string): void;
  gap: ListenGap;
}

// Reconnecting the listener: soon at first (a terminated backend is back at once), then less often.
const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 2_000;

/**
 * One dedicated connection per Database for LISTEN (a pooled connection would be handed to other
 * queries and lose its LISTENs). Opened on the first listen, ended when the last one stops, and
 * reconnected with back-off when the server drops it (restart, failover), re-issuing every LISTEN.
 */
class PgListener {
  private readonly handlers = new Map<string, Set<Handler>>();
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelay = RETRY_FIRST_MS;
  /** The connection dropped while someone listened: tell every handler once it listens again. */
  private gap = false;
  private closed = false;

  constructor(private readonly url: string) {}

  async listen(channel: string, onPayload: (payload: string) => void, gap: ListenGap = {}): Promise<() => Promise<void>> {
    if (this.closed) throw new Error('database closed');
    const handler: Handler = { onPayload, gap };
    let set = this.handlers.get(channel);
    const first = !set;
    if (!set) this.handlers.set(channel, (set = new Set()));
    set.add(handler);
    if (first) {
      let client: pg.Client | undefined;
      try {
        client = await this.connected();
        await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
      } catch (err) {
        // Connection lost (or never made): stay registered, the reconnect loop LISTENs again once the
        // server is back. Any other failure (a bad channel name) is the caller's.
        if (client && this.client === client) {
          set.delete(handler);
          if (set.size === 0) this.handlers.delete(channel);
          throw err;
        }
        // Not listening yet: whatever is announced until the reconnect succeeds is missed.
        this.gap = true;
        this.scheduleReconnect();
      }
    }
    let done = false;
    return async () => {
      if (done) return;
      done = true;
      set.delete(handler);
      if (set.size > 0 || this.handlers.get(channel) !== set) return;
      this.handlers.delete(channel);
      if (this.handlers.size === 0) return this.disconnect();
      await this.client?.query(`UNLISTEN ${this.client.escapeIdentifier(channel)}`).catch(() => {});
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.handlers.clear();
    await this.disconnect();
  }

  /** Whether the listening connection is up (or nobody needs it). */
  get listening(): boolean {
    return this.handlers.size === 0 || (!!this.client && !this.gap);
  }

  private each(fn: (h: Handler) => void): void {
    for (const set of this.handlers.values()) {
      for (const h of set) {
        try { fn(h); } catch { /* one handler's failure must not starve the others */ }
      }
    }
  }

  private connected(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.connect().finally(() => { this.connecting = undefined; });
    return this.connecting;
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.url, keepAlive: true, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    client.on('notification', (msg) => {
      for (const h of this.handlers.get(msg.channel) ?? []) {
        try { h.onPayload(msg.payload ?? ''); } catch { /* one handler's failure must not starve the others */ }
      }
    });
    const lost = () => {
      if (this.client !== client) return;
      this.client = undefined;
      client.end().catch(() => {});
      if (this.closed || this.handlers.size === 0) return;
      if (!this.gap) {
        this.gap = true;
        this.each((h) => h.gap.lost?.());
      }
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', lost);
    try {
      await client.connect();
    } catch (err) {
      client.end().catch(() => {});
      throw err;
    }
    if (this.closed || this.handlers.size === 0) {
      await client.end().catch(() => {});
      throw new Error('listener no longer needed');
    }
    this.client = client;
    return client;
  }

  private scheduleReconnect(): void {
    if (this.retryTimer || this.closed || this.handlers.size === 0) return;
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connected()
        .then(async (client) => {
          for (const channel of this.handlers.keys()) await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
          this.retryDelay = RETRY_FIRST_MS;
          if (this.gap && this.client === client) {
            this.gap = false;
            this.each((h) => h.gap.resumed?.());
          }
        })
        .catch(() => { if (!this.client) this.scheduleReconnect(); else this.client.end().catch(() => {}); });
    }, delay);
    this.retryTimer.unref();
  }

  private async disconnect(): Promise<void> {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const pending = this.connecting;
    const client = this.client;
    this.client = undefined;
    if (client) await client.end().catch(() => {});
    // A connection still being made ends itself once it sees nobody needs it (see connect).
    if (pending) await pending.catch(() => {});
  }
}

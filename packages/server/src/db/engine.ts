import { AsyncLocalStorage } from 'node:async_hooks';
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
import * as schema from './schema.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Who a transaction acts for. Policies read these settings; see drizzle/0001_rls_roles_audit.sql. */
export interface TenantContext {
  municipalityCode: string | null;
  platformAdmin?: boolean;
}

export const APP_ROLE = 'kazashi_app';
export const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../drizzle');

export interface Database {
  readonly engine: 'pglite' | 'postgres';
  /** The table owner. Only migrations, the CLI's verification and tests use it, never a request. */
  readonly owner: Db;
  /** Runs `fn` in one transaction as the app role, acting for `ctx`. Row-level security applies. */
  tenant<T>(ctx: TenantContext, fn: (tx: Tx) => Promise<T>): Promise<T>;
  migrate(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

// A transaction opened inside another one would wait forever on the embedded database's single
// connection (and waste a pooled one on PostgreSQL): fail loudly instead. Pass the outer `tx` down.
const inTransaction = new AsyncLocalStorage<true>();

function runTenant<T>(db: Db, ctx: TenantContext, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (inTransaction.getStore()) return Promise.reject(new Error('nested tenant transaction: pass the outer tx instead'));
  return inTransaction.run(true, () => db.transaction(async (tx) => { await actAs(tx, ctx); return fn(tx); }));
}

async function actAs(tx: Tx, ctx: TenantContext): Promise<void> {
  // One round trip: set_config('role', …, true) is SET LOCAL ROLE.
  await tx.execute(sql`select set_config('app.municipality', ${ctx.municipalityCode ?? ''}, true),
    set_config('app.platform_admin', ${ctx.platformAdmin ? 'on' : ''}, true), set_config('role', ${APP_ROLE}, true)`);
}

export interface OpenOptions {
  databaseUrl?: string;
  databaseAppUrl?: string;
  /** PGlite data directory; undefined means in memory. */
  pgliteDir?: string;
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.databaseAppUrl, opts.poolSize ?? 10);
  return openPglite(opts.pgliteDir);
}

async function openPglite(dir?: string): Promise<Database> {
  if (dir) fs.mkdirSync(dir, { recursive: true });
  const client = await PGlite.create(dir ? { dataDir: dir } : {});
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    engine: 'pglite',
    owner: db,
    tenant: (ctx, fn) => runTenant(db, ctx, fn),
    migrate: async () => { await migratePglite(db as never, { migrationsFolder }); },
    ping: async () => { await client.query('select 1'); },
    close: async () => { await client.close(); },
  };
}

async function openPostgres(ownerUrl: string, appUrl: string | undefined, poolSize: number): Promise<Database> {
  const ownerPool = new pg.Pool({ connectionString: ownerUrl, max: appUrl ? 2 : poolSize });
  const appPool = appUrl ? new pg.Pool({ connectionString: appUrl, max: poolSize }) : ownerPool;
  for (const pool of new Set([ownerPool, appPool])) pool.on('error', () => { /* a dropped idle client is replaced on next use */ });
  const owner = drizzlePg({ client: ownerPool, schema }) as unknown as Db;
  const app = appUrl ? (drizzlePg({ client: appPool, schema }) as unknown as Db) : owner;
  return {
    engine: 'postgres',
    owner,
    tenant: (ctx, fn) => runTenant(app, ctx, fn),
    migrate: async () => {
      // Several instances may start at once: one migrates, the others wait.
      const client = await ownerPool.connect();
      try {
        await client.query('select pg_advisory_lock(727227)');
        await migratePg(drizzlePg({ client, schema }) as never, { migrationsFolder });
      } finally {
        await client.query('select pg_advisory_unlock(727227)').catch(() => {});
        client.release();
      }
    },
    ping: async () => { await appPool.query('select 1'); },
    close: async () => {
      await ownerPool.end();
      if (appPool !== ownerPool) await appPool.end();
    },
  };
}

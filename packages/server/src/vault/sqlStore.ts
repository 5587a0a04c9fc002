import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { createPool } from '../kernel/db/engine.js';
import { memoryPglite } from '../kernel/db/memoryPglite.js';
import type { StoredRecord, VaultLocation, VaultStore } from './types.js';

/** The two calls both PGlite and a pg.Pool answer the same way. */
interface Queryable {
  query<R>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

// The vault database has one table and its own tiny migration; it is a separate database from the platform's.
const VAULT_DDL = `
CREATE TABLE IF NOT EXISTS vault_record (
  municipality_code char(6) NOT NULL,
  resident_id uuid NOT NULL,
  category text NOT NULL,
  key_id text NOT NULL,
  payload jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (municipality_code, resident_id, category)
);
CREATE INDEX IF NOT EXISTS vault_record_category ON vault_record (municipality_code, category);`;

interface Row {
  municipality_code: string;
  resident_id: string;
  category: string;
  key_id: string;
  payload: Record<string, string>;
}

const toRecord = (r: Row): StoredRecord => ({
  municipalityCode: r.municipality_code, residentId: r.resident_id, category: r.category, keyId: r.key_id, payload: r.payload,
});

export class SqlVaultStore implements VaultStore {
  private ready: Promise<void>;

  constructor(
    readonly location: VaultLocation,
    readonly detail: string,
    private readonly q: Queryable,
    private readonly closer: () => Promise<void>,
  ) {
    this.ready = (async () => {
      // Serialise first-time DDL across processes sharing one PostgreSQL database.
      if (location === 'postgres') await this.q.query('select pg_advisory_lock(727228)');
      try { for (const stmt of VAULT_DDL.split(';').map((s) => s.trim()).filter(Boolean)) await this.q.query(stmt); }
      finally { if (location === 'postgres') await this.q.query('select pg_advisory_unlock(727228)'); }
    })();
  }

  /** A vault in its own embedded PGlite database (one directory per municipality). */
  static async embedded(dir: string | undefined): Promise<SqlVaultStore> {
    if (dir) fs.mkdirSync(dir, { recursive: true });
    const db = dir ? await PGlite.create({ dataDir: dir }) : await memoryPglite(`vault:${VAULT_DDL}`, async (v) => { await v.exec(VAULT_DDL); });
    const store = new SqlVaultStore('embedded', dir ?? 'memory', db as unknown as Queryable, () => db.close());
    await store.ready;
    return store;
  }

  /** A vault in a separate PostgreSQL database, e.g. one hosted in an LGWAN-ASP centre. */
  static async postgres(url: string, location: VaultLocation = 'postgres'): Promise<SqlVaultStore> {
    const pool = createPool(url, 4);
    const u = new URL(url);
    const store = new SqlVaultStore(location, `${u.hostname}:${u.port || 5432}${u.pathname}`, pool as unknown as Queryable, () => pool.end());
    await store.ready;
    return store;
  }

  async get(code: string, residentId: string, category: string) {
    await this.ready;
    const { rows } = await this.q.query<Row>(
      'select * from vault_record where municipality_code = $1 and resident_id = $2 and category = $3', [code, residentId, category]);
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  async put(r: StoredRecord) {
    await this.ready;
    await this.q.query(
      `insert into vault_record (municipality_code, resident_id, category, key_id, payload) values ($1, $2, $3, $4, $5)
       on conflict (municipality_code, resident_id, category) do update set key_id = excluded.key_id, payload = excluded.payload, updated_at = now()`,
      [r.municipalityCode, r.residentId, r.category, r.keyId, JSON.stringify(r.payload)]);
  }

  async delete(code: string, residentId: string, category: string) {
    await this.ready;
    const { rows } = await this.q.query('delete from vault_record where municipality_code = $1 and resident_id = $2 and category = $3 returning 1',
      [code, residentId, category]);
    return rows.length > 0;
  }

  async find(code: string, query: { category?: string; residentIds?: string[] }) {
    await this.ready;
    const { rows } = await this.q.query<Row>(
      `select * from vault_record where municipality_code = $1 and ($2::text is null or category = $2)
       and ($3::uuid[] is null or resident_id = any($3)) order by resident_id, category`,
      [code, query.category ?? null, query.residentIds ?? null]);
    return rows.map(toRecord);
  }

  async count(code: string) {
    await this.ready;
    const { rows } = await this.q.query<{ n: number }>('select count(*)::int as n from vault_record where municipality_code = $1', [code]);
    return rows[0]!.n;
  }

  all(code: string) {
    return this.find(code, {});
  }

  close() {
    return this.closer();
  }
}

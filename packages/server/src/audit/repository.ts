import { asc, eq, sql, type SQL } from 'drizzle-orm';
import { preparedQuery, type Db, type Tx } from '../kernel/db/engine.js';
import { auditEntry, auditHead, auditPending } from './schema.js';

export type AuditRow = typeof auditEntry.$inferSelect;

/** A row of the audit_trail view: a sealed entry (seq, hash) or one waiting for the sealer (pendingId). */
export interface TrailRow extends Omit<AuditRow, 'seq' | 'prevHash' | 'hash'> {
  seq: number | null;
  pendingId: number | null;
  hash: string | null;
  sealed: boolean;
}
interface RawTrailRow {
  municipality_code: string; seq: string | number | null; pending_id: string | number | null; at: string | Date; actor: string; action: string;
  resident_id: string | null; purpose: string; categories: string[] | string; fields: string[] | string; request_id: string; hash: string | null; sealed: boolean;
}
/** Both drivers parse text[] into arrays. */
const textArray = (v: string[] | string): string[] => {
  if (!Array.isArray(v)) throw new Error('audit_trail: a text[] column came back unparsed');
  return v;
};
const trailRow = (r: RawTrailRow): TrailRow => ({
  municipalityCode: r.municipality_code, seq: r.seq == null ? null : Number(r.seq), pendingId: r.pending_id == null ? null : Number(r.pending_id),
  at: new Date(r.at), actor: r.actor, action: r.action, residentId: r.resident_id, purpose: r.purpose,
  categories: textArray(r.categories), fields: textArray(r.fields), requestId: r.request_id, hash: r.hash, sealed: r.sealed,
});

export interface AuditFilter {
  actor?: string;
  action?: string;
  residentId?: string;
  from?: Date;
  to?: Date;
  limit: number;
}

/** Every audited request runs this: constant text (prepared once per connection), all rows as one JSON parameter. */
const AUDIT_PENDING_INSERT_SQL = `insert into audit_pending (municipality_code, at, actor, action, resident_id, purpose, categories, fields, request_id, canonical)
  select municipality_code, at, actor, action, resident_id, purpose, categories, fields, request_id, canonical
  from json_to_recordset($1::json) as x(municipality_code char(6), at timestamptz, actor text, action text, resident_id uuid, purpose text,
    categories text[], fields text[], request_id text, canonical text)`;

export const auditRepository = {
  /** Records entries, not yet sealed into the chain (the sealer does that once the transaction commits); one statement. */
  append: async (tx: Tx, rows: (Omit<AuditRow, 'seq' | 'prevHash' | 'hash'> & { canonical: string })[]) => {
    if (!rows.length) return;
    await preparedQuery(tx, 'kazashi_audit_pending_insert', AUDIT_PENDING_INSERT_SQL, [JSON.stringify(rows.map((r) => ({
      municipality_code: r.municipalityCode, at: r.at.toISOString(), actor: r.actor, action: r.action, resident_id: r.residentId, purpose: r.purpose,
      categories: r.categories, fields: r.fields, request_id: r.requestId, canonical: r.canonical,
    })))]);
  },
  /** Sealed and pending entries (the audit_trail view), newest first: pending ones, then by seq. */
  search: async (tx: Tx, code: string, f: AuditFilter): Promise<TrailRow[]> => {
    const where: SQL[] = [sql`municipality_code = ${code}`];
    if (f.actor) where.push(sql`actor = ${f.actor}`);
    if (f.action) where.push(sql`action = ${f.action}`);
    if (f.residentId) where.push(sql`resident_id = ${f.residentId}`);
    if (f.from) where.push(sql`at >= ${f.from.toISOString()}::timestamptz`);
    if (f.to) where.push(sql`at <= ${f.to.toISOString()}::timestamptz`);
    const { rows } = (await tx.execute(sql`select * from audit_trail where ${sql.join(where, sql` and `)}
      order by sealed, seq desc, pending_id desc limit ${f.limit}`)) as unknown as { rows: RawTrailRow[] };
    return rows.map(trailRow);
  },
  /** How many entries (sealed or not) match, and the oldest time among them: for rate limits over the trail. */
  countSince: async (tx: Tx, code: string, f: { action: string; residentId: string; since: Date }) => {
    const { rows } = (await tx.execute(sql`select count(*)::int as n, min(at) as first from audit_trail
      where municipality_code = ${code} and action = ${f.action} and resident_id = ${f.residentId} and at > ${f.since.toISOString()}::timestamptz`)) as unknown as {
      rows: { n: number; first: string | Date | null }[];
    };
    const r = rows[0]!;
    return { n: Number(r.n), first: r.first ? new Date(r.first) : null };
  },
  pendingCount: async (db: Db | Tx, code: string) => {
    const [r] = await db.select({ n: sql<number>`count(*)::int`, oldest: sql<string | null>`min(${auditPending.at})` }).from(auditPending).where(eq(auditPending.municipalityCode, code));
    return { n: Number(r?.n ?? 0), oldest: r?.oldest ? new Date(r.oldest).toISOString() : null };
  },
  chain: (db: Db | Tx, code: string) => db.select().from(auditEntry).where(eq(auditEntry.municipalityCode, code)).orderBy(asc(auditEntry.seq)),
  head: async (db: Db | Tx, code: string) => (await db.select().from(auditHead).where(eq(auditHead.municipalityCode, code)))[0],
  chainCodes: async (db: Db) => {
    const rows = await db.selectDistinct({ code: auditHead.municipalityCode }).from(auditHead);
    const more = await db.selectDistinct({ code: auditEntry.municipalityCode }).from(auditEntry);
    const pending = await db.selectDistinct({ code: auditPending.municipalityCode }).from(auditPending);
    return [...new Set([...rows, ...more, ...pending].map((r) => r.code))].sort();
  },
};

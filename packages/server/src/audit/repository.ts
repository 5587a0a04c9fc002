import { and, asc, desc, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../db/engine.js';
import { auditEntry, auditHead } from './schema.js';

export type AuditRow = typeof auditEntry.$inferSelect;

/** A PostgreSQL text[] literal, quoting every element. */
function toTextArray(items: string[]): string {
  return `{${items.map((i) => `"${i.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  residentId?: string;
  from?: Date;
  to?: Date;
  limit: number;
}

export const auditRepository = {
  /** Appends one entry at the end of the municipality's chain (lock, seq, hash and insert in one statement). */
  append: async (tx: Tx, e: Omit<AuditRow, 'seq' | 'prevHash' | 'hash'>, canonical: string) => {
    const { rows } = (await tx.execute(sql`select * from kazashi_audit_append(${e.municipalityCode}, ${e.at.toISOString()}::timestamptz, ${e.actor}, ${e.action},
      ${e.residentId}::uuid, ${e.purpose}, ${toTextArray(e.categories)}::text[], ${toTextArray(e.fields)}::text[], ${e.requestId}, ${canonical})`)) as unknown as {
      rows: { out_seq: string | number; out_prev_hash: string; out_hash: string }[];
    };
    const r = rows[0]!;
    return { seq: Number(r.out_seq), prevHash: r.out_prev_hash, hash: r.out_hash };
  },
  search: (tx: Tx, code: string, f: AuditFilter) => {
    const where: SQL[] = [eq(auditEntry.municipalityCode, code)];
    if (f.actor) where.push(eq(auditEntry.actor, f.actor));
    if (f.action) where.push(eq(auditEntry.action, f.action));
    if (f.residentId) where.push(eq(auditEntry.residentId, f.residentId));
    if (f.from) where.push(gte(auditEntry.at, f.from));
    if (f.to) where.push(lte(auditEntry.at, f.to));
    return tx.select().from(auditEntry).where(and(...where)).orderBy(desc(auditEntry.seq)).limit(f.limit);
  },
  chain: (db: Db | Tx, code: string) => db.select().from(auditEntry).where(eq(auditEntry.municipalityCode, code)).orderBy(asc(auditEntry.seq)),
  head: async (db: Db | Tx, code: string) => (await db.select().from(auditHead).where(eq(auditHead.municipalityCode, code)))[0],
  chainCodes: async (db: Db) => {
    const rows = await db.selectDistinct({ code: auditHead.municipalityCode }).from(auditHead);
    const more = await db.selectDistinct({ code: auditEntry.municipalityCode }).from(auditEntry);
    return [...new Set([...rows, ...more].map((r) => r.code))].sort();
  },
};

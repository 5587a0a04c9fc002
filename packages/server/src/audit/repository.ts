import { and, asc, desc, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../db/engine.js';
import { auditEntry, auditHead } from './schema.js';

export type AuditRow = typeof auditEntry.$inferSelect;

export interface AuditFilter {
  actor?: string;
  action?: string;
  residentId?: string;
  from?: Date;
  to?: Date;
  limit: number;
}

export const auditRepository = {
  /** Serialises appends per municipality for the rest of the transaction. */
  lockChain: (tx: Tx, code: string) => tx.execute(sql`select pg_advisory_xact_lock(hashtext('audit:' || ${code}))`),
  last: async (tx: Tx, code: string) =>
    (await tx.select({ seq: auditEntry.seq, hash: auditEntry.hash }).from(auditEntry)
      .where(eq(auditEntry.municipalityCode, code)).orderBy(desc(auditEntry.seq)).limit(1))[0],
  insert: async (tx: Tx, row: AuditRow) => { await tx.insert(auditEntry).values(row); },
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

import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../kernel/db/engine.js';
import { consentRecord } from './schema.js';

export type ConsentRow = typeof consentRecord.$inferSelect;

/** The only code that touches the consent_record table. */
export const consentRepository = {
  insert: async (tx: Tx, rows: (typeof consentRecord.$inferInsert)[]) => (rows.length ? tx.insert(consentRecord).values(rows).returning() : []),
  forResident: (tx: Tx, code: string, residentId: string) =>
    tx.select().from(consentRecord).where(and(eq(consentRecord.municipalityCode, code), eq(consentRecord.residentId, residentId))).orderBy(asc(consentRecord.givenAt), asc(consentRecord.id)),
  get: async (tx: Tx, code: string, residentId: string, id: string) =>
    (await tx.select().from(consentRecord).where(and(eq(consentRecord.municipalityCode, code), eq(consentRecord.residentId, residentId), eq(consentRecord.id, id))))[0],
  /** Withdraws if not withdrawn yet; returns the row as it is afterwards. */
  withdraw: async (tx: Tx, id: string, at: Date) =>
    (await tx.update(consentRecord).set({ withdrawnAt: at }).where(and(eq(consentRecord.id, id), isNull(consentRecord.withdrawnAt))).returning())[0],
};

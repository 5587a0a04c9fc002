import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../../kernel/db/engine.js';
import { evacuee, shelterStay } from '../schema.js';

export type EvacueeRow = typeof evacuee.$inferSelect;
export type NewEvacuee = typeof evacuee.$inferInsert;

/** Rows of the transaction's own municipality only (RLS would also show consenting partners' rows). */
const own = sql`${evacuee.municipalityCode} = kazashi_current_municipality()`;

export const evacueeRepository = {
  householdOfResident: (tx: Tx, residentId: string) =>
    tx.select().from(evacuee).where(and(own, eq(evacuee.residentId, residentId), isNull(evacuee.removedAt)))
      .orderBy(desc(evacuee.isResident), asc(evacuee.createdAt), asc(evacuee.id)),
  household: (tx: Tx, householdId: string) =>
    tx.select().from(evacuee).where(and(own, eq(evacuee.householdId, householdId), isNull(evacuee.removedAt)))
      .orderBy(desc(evacuee.isResident), asc(evacuee.createdAt), asc(evacuee.id)),
  byCard: async (tx: Tx, cardKey: string) => (await tx.select().from(evacuee).where(and(own, eq(evacuee.cardKey, cardKey), isNull(evacuee.removedAt))))[0],
  byIntakeCode: async (tx: Tx, code: string) => (await tx.select().from(evacuee).where(and(own, eq(evacuee.intakeCode, code), isNull(evacuee.removedAt))))[0],
  byIds: (tx: Tx, ids: string[]) => (ids.length ? tx.select().from(evacuee).where(inArray(evacuee.id, ids)) : Promise.resolve([] as EvacueeRow[])),
  get: async (tx: Tx, id: string) => (await tx.select().from(evacuee).where(eq(evacuee.id, id)))[0],
  /** Inserts unless the id exists (a retry); returns the row either way. */
  insertOnce: async (tx: Tx, row: NewEvacuee) => {
    const [created] = await tx.insert(evacuee).values(row).onConflictDoNothing({ target: evacuee.id }).returning();
    return { row: created ?? (await evacueeRepository.get(tx, row.id!))!, created: !!created };
  },
  /** Every row (live or removed) of the resident's pre-registered household in tx's municipality. */
  allOfResident: (tx: Tx, residentId: string) =>
    tx.select().from(evacuee).where(and(own, eq(evacuee.residentId, residentId))),
  update: async (tx: Tx, id: string, patch: Partial<NewEvacuee>) =>
    (await tx.update(evacuee).set({ ...patch, updatedAt: new Date() }).where(and(own, eq(evacuee.id, id))).returning())[0],
  /** Live stays (in / out) of these evacuees, as RLS lets tx see them. */
  liveStays: (tx: Tx, ids: string[]) => (ids.length
    ? tx.select().from(shelterStay).where(and(inArray(shelterStay.evacueeId, ids), inArray(shelterStay.status, ['in', 'out'])))
    : Promise.resolve([] as (typeof shelterStay.$inferSelect)[])),
  /** Copies the evacuee's coarse flags onto a live stay tx's municipality hosts. */
  updateStayCopies: async (tx: Tx, stayId: string, copy: { needs: string[]; sex: string | null; language: string | null }) =>
    (await tx.update(shelterStay).set(copy).where(and(eq(shelterStay.id, stayId), sql`${shelterStay.municipalityCode} = kazashi_current_municipality()`)).returning({ id: shelterStay.id })).length > 0,
};

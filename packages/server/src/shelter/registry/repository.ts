// Queries of the shelter registry, disasters and status history. Row-level security scopes writes to
// the transaction's municipality; every shelter and disaster is readable (open data).
import { and, asc, desc, eq, inArray, isNull, ne } from 'drizzle-orm';
import type { Tx } from '../../kernel/db/engine.js';
import { disaster, shelter, shelterStatusEvent, type ShelterStatus } from '../schema.js';

export type ShelterRow = typeof shelter.$inferSelect;
export type ShelterInsert = typeof shelter.$inferInsert;
export type DisasterRow = typeof disaster.$inferSelect;
export type StatusEventRow = typeof shelterStatusEvent.$inferSelect;

export async function sheltersOf(tx: Tx, code: string): Promise<ShelterRow[]> {
  return tx.select().from(shelter).where(eq(shelter.municipalityCode, code)).orderBy(asc(shelter.localId));
}

export async function shelterById(tx: Tx, id: string): Promise<ShelterRow | undefined> {
  const [row] = await tx.select().from(shelter).where(eq(shelter.id, id));
  return row;
}

/** For update: serialises concurrent status changes of one shelter. */
export async function lockShelter(tx: Tx, code: string, id: string): Promise<ShelterRow | undefined> {
  const [row] = await tx.select().from(shelter).where(and(eq(shelter.id, id), eq(shelter.municipalityCode, code))).for('update');
  return row;
}

/** Shelters of other municipalities holding any of these national IDs (the ID is unique nationwide). */
export async function nationalIdOwners(tx: Tx, ids: string[]): Promise<Pick<ShelterRow, 'municipalityCode' | 'localId' | 'nationalId'>[]> {
  if (!ids.length) return [];
  return tx.select({ municipalityCode: shelter.municipalityCode, localId: shelter.localId, nationalId: shelter.nationalId })
    .from(shelter).where(inArray(shelter.nationalId, ids));
}

export async function insertShelters(tx: Tx, rows: ShelterInsert[]): Promise<ShelterRow[]> {
  if (!rows.length) return [];
  return tx.insert(shelter).values(rows).returning();
}

export async function updateShelter(tx: Tx, id: string, patch: Partial<ShelterInsert>): Promise<ShelterRow> {
  const [row] = await tx.update(shelter).set({ ...patch, updatedAt: new Date() }).where(eq(shelter.id, id)).returning();
  return row!;
}

export async function setStatus(tx: Tx, id: string, status: ShelterStatus, disasterId: string | null, at: Date): Promise<ShelterRow> {
  const [row] = await tx.update(shelter).set({ status, disasterId, statusChangedAt: at, updatedAt: at }).where(eq(shelter.id, id)).returning();
  return row!;
}

export async function insertStatusEvent(tx: Tx, e: typeof shelterStatusEvent.$inferInsert): Promise<void> {
  await tx.insert(shelterStatusEvent).values(e);
}

export async function statusHistory(tx: Tx, code: string, shelterId: string, disasterId?: string): Promise<StatusEventRow[]> {
  const where = [eq(shelterStatusEvent.municipalityCode, code), eq(shelterStatusEvent.shelterId, shelterId)];
  if (disasterId) where.push(eq(shelterStatusEvent.disasterId, disasterId));
  return tx.select().from(shelterStatusEvent).where(and(...where)).orderBy(asc(shelterStatusEvent.at), asc(shelterStatusEvent.id));
}

export async function disastersOf(tx: Tx, code: string): Promise<DisasterRow[]> {
  return tx.select().from(disaster).where(eq(disaster.municipalityCode, code)).orderBy(desc(disaster.declaredAt));
}

export async function activeDisasters(tx: Tx, code: string): Promise<DisasterRow[]> {
  return tx.select().from(disaster).where(and(eq(disaster.municipalityCode, code), isNull(disaster.endedAt))).orderBy(desc(disaster.declaredAt));
}

export async function disasterById(tx: Tx, code: string, id: string, forUpdate = false): Promise<DisasterRow | undefined> {
  const q = tx.select().from(disaster).where(and(eq(disaster.id, id), eq(disaster.municipalityCode, code)));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row;
}

export async function insertDisaster(tx: Tx, row: typeof disaster.$inferInsert): Promise<DisasterRow> {
  const [created] = await tx.insert(disaster).values(row).returning();
  return created!;
}

export async function endDisaster(tx: Tx, id: string, at: Date): Promise<DisasterRow> {
  const [row] = await tx.update(disaster).set({ endedAt: at }).where(eq(disaster.id, id)).returning();
  return row!;
}

/** Shelters still open (or full, or requested) for a disaster, locked for closing. */
export async function sheltersOpenFor(tx: Tx, code: string, disasterId: string): Promise<ShelterRow[]> {
  return tx.select().from(shelter)
    .where(and(eq(shelter.municipalityCode, code), eq(shelter.disasterId, disasterId), ne(shelter.status, 'closed')))
    .orderBy(asc(shelter.localId)).for('update');
}

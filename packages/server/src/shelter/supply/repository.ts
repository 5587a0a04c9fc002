import { and, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Tx } from '../../kernel/db/engine.js';
import { shelter, supplyRequest, type SUPPLY_ORDER_STATUSES } from '../schema.js';

export type SupplyRequestRow = typeof supplyRequest.$inferSelect;
export type SupplyStatus = (typeof SUPPLY_ORDER_STATUSES)[number];
export type SupplyRequestWithShelter = SupplyRequestRow & { shelterNameJa: string; shelterNameEn: string };

const withShelter = { row: supplyRequest, nameJa: shelter.nameJa, nameEn: shelter.nameEn } as const;
const flatten = (r: { row: SupplyRequestRow; nameJa: string; nameEn: string | null }): SupplyRequestWithShelter =>
  ({ ...r.row, shelterNameJa: r.nameJa, shelterNameEn: r.nameEn ?? '' });

/** Supply requests. RLS keeps every statement inside the acting municipality. */
export const supplyRepository = {
  /** Inserts unless the key is taken; undefined means a request with this key already exists (replay or reuse). */
  async insert(tx: Tx, values: typeof supplyRequest.$inferInsert): Promise<SupplyRequestRow | undefined> {
    const [row] = await tx.insert(supplyRequest).values(values)
      .onConflictDoNothing({ target: [supplyRequest.municipalityCode, supplyRequest.idempotencyKey] })
      .returning();
    return row;
  },

  async byKey(tx: Tx, code: string, key: string): Promise<SupplyRequestRow | undefined> {
    const [row] = await tx.select().from(supplyRequest)
      .where(and(eq(supplyRequest.municipalityCode, code), eq(supplyRequest.idempotencyKey, key)));
    return row;
  },

  async list(tx: Tx, code: string, filter: { status?: SupplyStatus; shelterId?: string; ids?: string[] }): Promise<SupplyRequestWithShelter[]> {
    const where: SQL[] = [eq(supplyRequest.municipalityCode, code)];
    if (filter.status) where.push(eq(supplyRequest.status, filter.status));
    if (filter.shelterId) where.push(eq(supplyRequest.shelterId, filter.shelterId));
    if (filter.ids) where.push(inArray(supplyRequest.id, filter.ids));
    const rows = await tx.select(withShelter).from(supplyRequest)
      .innerJoin(shelter, eq(shelter.id, supplyRequest.shelterId))
      .where(and(...where))
      .orderBy(desc(supplyRequest.createdAt), desc(supplyRequest.id));
    return rows.map(flatten);
  },

  /** Locks the row: two HQ operators pressing "ship" at once must not both pass the transition check. */
  async forUpdate(tx: Tx, code: string, id: string): Promise<SupplyRequestRow | undefined> {
    const [row] = await tx.select().from(supplyRequest)
      .where(and(eq(supplyRequest.municipalityCode, code), eq(supplyRequest.id, id))).for('update');
    return row;
  },

  async update(tx: Tx, id: string, set: Partial<typeof supplyRequest.$inferInsert>): Promise<void> {
    await tx.update(supplyRequest).set(set).where(eq(supplyRequest.id, id));
  },

  /** Quantities still on their way (requested, ordered or shipped) per shelter and item. */
  async openQuantities(tx: Tx, code: string): Promise<{ shelterId: string; itemCode: string; needed: number }[]> {
    return tx.select({ shelterId: supplyRequest.shelterId, itemCode: supplyRequest.itemCode, needed: supplyRequest.needed })
      .from(supplyRequest)
      .where(and(eq(supplyRequest.municipalityCode, code), inArray(supplyRequest.status, ['requested', 'ordered', 'shipped'])));
  },
};

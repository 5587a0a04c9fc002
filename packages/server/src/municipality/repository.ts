import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../kernel/db/engine.js';
import { jointUseGroup, jointUseMembership, municipality } from './schema.js';

export type MunicipalityRow = typeof municipality.$inferSelect;
export type NewMunicipality = typeof municipality.$inferInsert;

/** The only code that touches the municipality domain's tables. */
export const municipalityRepository = {
  list: (tx: Tx) => tx.select().from(municipality).orderBy(asc(municipality.code)),
  get: async (tx: Tx, code: string) => (await tx.select().from(municipality).where(eq(municipality.code, code)))[0],
  insert: async (tx: Tx, row: NewMunicipality) => (await tx.insert(municipality).values(row).returning())[0]!,
  update: async (tx: Tx, code: string, patch: Partial<NewMunicipality>) =>
    (await tx.update(municipality).set(patch).where(eq(municipality.code, code)).returning())[0],

  groups: (tx: Tx) => tx.select().from(jointUseGroup).orderBy(asc(jointUseGroup.createdAt)),
  group: async (tx: Tx, id: string) => (await tx.select().from(jointUseGroup).where(eq(jointUseGroup.id, id)))[0],
  insertGroup: async (tx: Tx, row: typeof jointUseGroup.$inferInsert) => (await tx.insert(jointUseGroup).values(row).returning())[0]!,
  memberships: (tx: Tx) => tx.select().from(jointUseMembership).orderBy(asc(jointUseMembership.joinedAt), asc(jointUseMembership.municipalityCode)),
  membershipsOf: (tx: Tx, code: string) => tx.select().from(jointUseMembership).where(eq(jointUseMembership.municipalityCode, code)),
  membership: async (tx: Tx, groupId: string, code: string) =>
    (await tx.select().from(jointUseMembership).where(and(eq(jointUseMembership.groupId, groupId), eq(jointUseMembership.municipalityCode, code))))[0],
  insertMembership: async (tx: Tx, row: typeof jointUseMembership.$inferInsert) =>
    (await tx.insert(jointUseMembership).values(row).returning())[0]!,
  setServices: async (tx: Tx, groupId: string, code: string, services: string[]) =>
    (await tx.update(jointUseMembership).set({ services })
      .where(and(eq(jointUseMembership.groupId, groupId), eq(jointUseMembership.municipalityCode, code))).returning())[0],
};

import { and, asc, eq } from 'drizzle-orm';
import { preparedQuery, type Tx } from '../kernel/db/engine.js';
import { fromDriverRow } from '../kernel/db/rows.js';
import { resident } from './schema.js';

export type ResidentRow = typeof resident.$inferSelect;

export const residentRepository = {
  list: (tx: Tx, code: string, limit: number) => tx.select().from(resident).where(eq(resident.municipalityCode, code)).orderBy(asc(resident.createdAt)).limit(limit),
  /** Card logins ask this: prepared once per connection. */
  get: async (tx: Tx, id: string): Promise<ResidentRow | undefined> => {
    const [row] = await preparedQuery(tx, 'kazashi_resident_get', 'select * from resident where id = $1', [id]);
    return row ? fromDriverRow(resident, row) : undefined;
  },
  getByNumber: async (tx: Tx, code: string, number: string) =>
    (await tx.select().from(resident).where(and(eq(resident.municipalityCode, code), eq(resident.residentNumber, number))))[0],
  /** Inserts unless the resident number is taken in the municipality (then undefined: draw another). */
  insert: async (tx: Tx, row: typeof resident.$inferInsert) =>
    (await tx.insert(resident).values(row).onConflictDoNothing({ target: [resident.municipalityCode, resident.residentNumber] }).returning())[0],
  setCategories: async (tx: Tx, id: string, categories: string[]) => { await tx.update(resident).set({ categories }).where(eq(resident.id, id)); },
};

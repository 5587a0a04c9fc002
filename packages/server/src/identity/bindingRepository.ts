import { and, desc, eq, ne } from 'drizzle-orm';
import { preparedQuery, type Tx } from '../kernel/db/engine.js';
import { fromDriverRow } from '../kernel/db/rows.js';
import { cardBinding } from './schema.js';

export type CardBindingRow = typeof cardBinding.$inferSelect;

/** The only code that touches the card_binding table. */
export const cardBindingRepository = {
  /** Every card touch asks this: prepared once per connection. */
  byCard: async (tx: Tx, code: string, cardKey: string): Promise<CardBindingRow | undefined> => {
    const [row] = await preparedQuery(tx, 'kazashi_binding_by_card', 'select * from card_binding where municipality_code = $1::bpchar and card_key = $2', [code, cardKey]);
    return row ? fromDriverRow(cardBinding, row) : undefined;
  },
  /** The resident's current card: active or suspended (not one already replaced). */
  current: async (tx: Tx, code: string, residentId: string) =>
    (await tx.select().from(cardBinding)
      .where(and(eq(cardBinding.municipalityCode, code), eq(cardBinding.residentId, residentId), ne(cardBinding.status, 'replaced')))
      .orderBy(desc(cardBinding.boundAt)).limit(1))[0],
  forResident: (tx: Tx, code: string, residentId: string) =>
    tx.select().from(cardBinding).where(and(eq(cardBinding.municipalityCode, code), eq(cardBinding.residentId, residentId))).orderBy(desc(cardBinding.boundAt)),
  insert: async (tx: Tx, row: typeof cardBinding.$inferInsert) => (await tx.insert(cardBinding).values(row).returning())[0]!,
  suspend: async (tx: Tx, id: string, at: Date) => { await tx.update(cardBinding).set({ status: 'suspended', suspendedAt: at }).where(eq(cardBinding.id, id)); },
  replace: async (tx: Tx, id: string, by: string | null, at: Date) => { await tx.update(cardBinding).set({ status: 'replaced', endedAt: at, replacedBy: by }).where(eq(cardBinding.id, id)); },
};

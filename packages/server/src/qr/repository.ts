import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../kernel/db/engine.js';
import { qrCard, qrTokenUse } from './schema.js';

/** The only code that touches the qr_token_use and qr_card tables. */
export const qrRepository = {
  /** Records a rotating token's first use; undefined when its jti was used before (a replay). */
  markUsed: async (tx: Tx, row: typeof qrTokenUse.$inferInsert) =>
    (await tx.insert(qrTokenUse).values(row).onConflictDoNothing({ target: [qrTokenUse.municipalityCode, qrTokenUse.jti] }).returning())[0],
  insertCard: async (tx: Tx, row: typeof qrCard.$inferInsert) => (await tx.insert(qrCard).values(row).returning())[0]!,
  getCard: async (tx: Tx, code: string, id: string) =>
    (await tx.select().from(qrCard).where(and(eq(qrCard.municipalityCode, code), eq(qrCard.id, id))))[0],
  /** Revokes if not revoked yet; returns the row as it is afterwards (undefined if already revoked). */
  revokeCard: async (tx: Tx, id: string, at: Date) =>
    (await tx.update(qrCard).set({ revokedAt: at }).where(and(eq(qrCard.id, id), isNull(qrCard.revokedAt))).returning())[0],
};

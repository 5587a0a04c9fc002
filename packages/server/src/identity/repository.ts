import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import type { Tx } from '../db/engine.js';
import { identityChallenge } from './schema.js';

export type ChallengeRow = typeof identityChallenge.$inferSelect;

/** The only code that touches the identity domain's table. */
export const identityRepository = {
  insert: async (tx: Tx, row: typeof identityChallenge.$inferInsert) => (await tx.insert(identityChallenge).values(row).returning())[0]!,
  get: async (tx: Tx, id: string) => (await tx.select().from(identityChallenge).where(eq(identityChallenge.id, id)))[0],
  /**
   * Marks the challenge used if it is still unused and unexpired, in one statement: of two
   * concurrent verifications, the second waits for the first's row lock and then matches nothing.
   */
  consume: async (tx: Tx, id: string, now: Date) =>
    (await tx.update(identityChallenge).set({ usedAt: now })
      .where(and(eq(identityChallenge.id, id), isNull(identityChallenge.usedAt), gt(identityChallenge.expiresAt, now)))
      .returning({ id: identityChallenge.id }))[0] !== undefined,
  purgeExpired: async (tx: Tx, code: string, before: Date) => {
    await tx.delete(identityChallenge).where(and(eq(identityChallenge.municipalityCode, code), lt(identityChallenge.expiresAt, before)));
  },
};

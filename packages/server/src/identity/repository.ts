import { and, eq, lt } from 'drizzle-orm';
import { preparedQuery, type Tx } from '../kernel/db/engine.js';
import { fromDriverRow } from '../kernel/db/rows.js';
import { identityChallenge } from './schema.js';

export type ChallengeRow = typeof identityChallenge.$inferSelect;

/** The only code that touches the identity domain's table. */
export const identityRepository = {
  insert: async (tx: Tx, row: typeof identityChallenge.$inferInsert) => (await tx.insert(identityChallenge).values(row).returning())[0]!,
  get: async (tx: Tx, id: string) => (await tx.select().from(identityChallenge).where(eq(identityChallenge.id, id)))[0],
  /**
   * Consumes the challenge if it is the asking session's, for `purpose`, unused and unexpired, and
   * returns it; undefined otherwise. One statement: of two concurrent verifications, the second
   * waits for the first's row lock and then matches nothing.
   */
  consumeFor: async (tx: Tx, f: { id: string; purpose: string; sessionHash: string; now: Date }): Promise<ChallengeRow | undefined> => {
    const [row] = await preparedQuery(tx, 'kazashi_challenge_consume', `update identity_challenge set used_at = $5
      where id = $1 and purpose = $2 and session_hash = $3 and used_at is null and expires_at > $4 returning *`,
    [f.id, f.purpose, f.sessionHash, f.now.toISOString(), f.now.toISOString()]);
    return row ? fromDriverRow(identityChallenge, row) : undefined;
  },
  purgeExpired: async (tx: Tx, code: string, before: Date) =>
    (await tx.delete(identityChallenge).where(and(eq(identityChallenge.municipalityCode, code), lt(identityChallenge.expiresAt, before))).returning({ id: identityChallenge.id })).length,
};

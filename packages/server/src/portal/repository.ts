import { and, eq, gt, gte, isNull, lt } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import type { Tx } from '../kernel/db/engine.js';
import { residentSession } from './schema.js';

export interface SessionPrincipalRow {
  session_id: string;
  municipality_code: string;
  resident_id: string;
  resident_number: string;
  acr: string;
  channel: string;
  csrf_token: string;
  auth_time: string | Date;
  expires_at: string | Date;
}

/** The only code that touches the resident_session table. Sessions are ended, never deleted. */
export const residentSessionRepository = {
  /** Pre-tenant: the live session behind a token hash with its (active) resident, through a SECURITY DEFINER function. */
  principal: async (tx: Tx, tokenHash: string) =>
    ((await tx.execute(sql`select * from kazashi_resident_session_principal(${tokenHash})`)) as unknown as { rows: SessionPrincipalRow[] }).rows[0],
  insert: async (tx: Tx, row: typeof residentSession.$inferInsert) => (await tx.insert(residentSession).values(row).returning({ id: residentSession.id }))[0]!,
  end: async (tx: Tx, id: string, at: Date) => {
    await tx.update(residentSession).set({ endedAt: at }).where(and(eq(residentSession.id, id), isNull(residentSession.endedAt)));
  },
  /** Whether the resident's session that began in the given second is still live (not ended, not expired). */
  liveBegunAt: async (tx: Tx, code: string, residentId: string, second: Date, now: Date) =>
    (await tx.select({ id: residentSession.id }).from(residentSession)
      .where(and(eq(residentSession.municipalityCode, code), eq(residentSession.residentId, residentId), isNull(residentSession.endedAt), gt(residentSession.expiresAt, now),
        gte(residentSession.createdAt, second), lt(residentSession.createdAt, new Date(second.getTime() + 1000))))
      .limit(1)).length > 0,
  /** Ends every live session of a resident; returns how many. */
  endAllOf: async (tx: Tx, code: string, residentId: string, at: Date) =>
    (await tx.update(residentSession).set({ endedAt: at })
      .where(and(eq(residentSession.municipalityCode, code), eq(residentSession.residentId, residentId), isNull(residentSession.endedAt)))
      .returning({ id: residentSession.id })).length,
};

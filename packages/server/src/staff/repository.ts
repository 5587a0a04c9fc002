import { asc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../kernel/db/engine.js';
import { staffAccount, staffSession } from './schema.js';

export type StaffRow = typeof staffAccount.$inferSelect;

export const staffRepository = {
  /** Pre-tenant lookups through SECURITY DEFINER functions that return only id and municipality. */
  lookupLogin: async (tx: Tx, loginName: string) =>
    ((await tx.execute(sql`select staff_id, municipality_code from kazashi_staff_login_lookup(${loginName})`)) as unknown as { rows: { staff_id: string; municipality_code: string }[] }).rows[0],
  /** The live session behind a token hash together with its (enabled) staff member, in one query. */
  sessionPrincipal: async (tx: Tx, tokenHash: string) =>
    ((await tx.execute(sql`select * from kazashi_session_principal(${tokenHash})`)) as unknown as {
      rows: { staff_id: string; municipality_code: string; login_name: string; display_name: string; roles: string[]; csrf_token: string; expires_at: string | Date }[];
    }).rows[0],

  get: async (tx: Tx, id: string) => (await tx.select().from(staffAccount).where(eq(staffAccount.id, id)))[0],
  list: (tx: Tx, code: string) => tx.select().from(staffAccount).where(eq(staffAccount.municipalityCode, code)).orderBy(asc(staffAccount.loginName)),
  insert: async (tx: Tx, row: typeof staffAccount.$inferInsert) => (await tx.insert(staffAccount).values(row).returning())[0]!,
  update: async (tx: Tx, id: string, patch: Partial<typeof staffAccount.$inferInsert>) =>
    (await tx.update(staffAccount).set(patch).where(eq(staffAccount.id, id)).returning())[0],

  insertSession: async (tx: Tx, row: typeof staffSession.$inferInsert) => { await tx.insert(staffSession).values(row); },
  extendSession: async (tx: Tx, tokenHash: string, expiresAt: Date) => { await tx.update(staffSession).set({ expiresAt }).where(eq(staffSession.tokenHash, tokenHash)); },
  deleteSession: async (tx: Tx, tokenHash: string) => { await tx.delete(staffSession).where(eq(staffSession.tokenHash, tokenHash)); },
  deleteSessionsOf: async (tx: Tx, staffId: string) => { await tx.delete(staffSession).where(eq(staffSession.staffId, staffId)); },
};

import { and, asc, desc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Tx } from '../kernel/db/engine.js';
import { oidcClient, oidcPayload } from './schema.js';

export type OidcClientRow = typeof oidcClient.$inferSelect;

/** The row kazashi_oidc_client() returns, in its column names. */
interface ClientFunctionRow {
  client_id: string;
  municipality_code: string;
  name_ja: string;
  name_en: string;
  redirect_uris: string[] | string;
  post_logout_redirect_uris: string[] | string;
  scopes: string[] | string;
  token_endpoint_auth_method: string;
  secret_sealed: string | null;
  created_by: string;
  created_at: string | Date;
  disabled_at: string | Date | null;
}

/** node-postgres parses text[] for us; on a bare `execute` PGlite may hand back the literal `{a,b}`. */
function textArray(v: string[] | string): string[] {
  if (Array.isArray(v)) return v;
  const inner = v.replace(/^\{|\}$/g, '');
  if (!inner) return [];
  return inner.split(',').map((s) => s.replace(/^"|"$/g, '').replace(/\\(.)/g, '$1'));
}

/** The only code that touches oidc_client and oidc_payload. */
export const oidcRepository = {
  /**
   * An enabled client by id, before any tenant is known (the provider only has the client_id): through the
   * SECURITY DEFINER function kazashi_oidc_client, so the app role needs no cross-tenant read on oidc_client.
   */
  findActiveClient: async (tx: Tx, clientId: string): Promise<OidcClientRow | undefined> => {
    const res = (await tx.execute(sql`select * from kazashi_oidc_client(${clientId})`)) as unknown as { rows: ClientFunctionRow[] };
    const r = res.rows[0];
    if (!r) return undefined;
    return {
      clientId: r.client_id, municipalityCode: r.municipality_code, nameJa: r.name_ja, nameEn: r.name_en,
      redirectUris: textArray(r.redirect_uris), postLogoutRedirectUris: textArray(r.post_logout_redirect_uris), scopes: textArray(r.scopes),
      tokenEndpointAuthMethod: r.token_endpoint_auth_method, secretSealed: r.secret_sealed, createdBy: r.created_by,
      createdAt: new Date(r.created_at), disabledAt: r.disabled_at ? new Date(r.disabled_at) : null,
    };
  },
  listClients: async (tx: Tx, code: string) =>
    tx.select().from(oidcClient).where(eq(oidcClient.municipalityCode, code)).orderBy(asc(oidcClient.createdAt)),
  getClient: async (tx: Tx, code: string, clientId: string) =>
    (await tx.select().from(oidcClient).where(and(eq(oidcClient.municipalityCode, code), eq(oidcClient.clientId, clientId))))[0],
  insertClient: async (tx: Tx, row: typeof oidcClient.$inferInsert) => (await tx.insert(oidcClient).values(row).returning())[0]!,
  disableClient: async (tx: Tx, code: string, clientId: string, at: Date) =>
    (await tx.update(oidcClient).set({ disabledAt: at })
      .where(and(eq(oidcClient.municipalityCode, code), eq(oidcClient.clientId, clientId), isNull(oidcClient.disabledAt))).returning())[0],

  // --- the provider's own state (platform table, no tenant) ---
  upsertPayload: async (tx: Tx, row: typeof oidcPayload.$inferInsert) => {
    await tx.insert(oidcPayload).values(row).onConflictDoUpdate({
      target: [oidcPayload.model, oidcPayload.id],
      set: { payload: row.payload, grantId: row.grantId, userCode: row.userCode, uid: row.uid, expiresAt: row.expiresAt, consumedAt: null },
    });
  },
  findPayload: async (tx: Tx, model: string, where: { id?: string; uid?: string; userCode?: string }) => {
    const cond = where.id !== undefined ? eq(oidcPayload.id, where.id) : where.uid !== undefined ? eq(oidcPayload.uid, where.uid) : eq(oidcPayload.userCode, where.userCode!);
    return (await tx.select().from(oidcPayload).where(and(eq(oidcPayload.model, model), cond)).limit(1))[0];
  },
  consumePayload: async (tx: Tx, model: string, id: string, at: Date) => {
    await tx.update(oidcPayload).set({ consumedAt: at }).where(and(eq(oidcPayload.model, model), eq(oidcPayload.id, id)));
  },
  destroyPayload: async (tx: Tx, model: string, id: string) => {
    await tx.delete(oidcPayload).where(and(eq(oidcPayload.model, model), eq(oidcPayload.id, id)));
  },
  revokeByGrantId: async (tx: Tx, grantId: string) => {
    await tx.delete(oidcPayload).where(eq(oidcPayload.grantId, grantId));
  },
  /** The newest unexpired Grant a resident gave a client (consent remembered across provider sessions). */
  latestGrantId: async (tx: Tx, accountId: string, clientId: string) => (await tx.select({ id: oidcPayload.id }).from(oidcPayload)
    .where(and(eq(oidcPayload.model, 'Grant'), sql`${oidcPayload.payload}->>'accountId' = ${accountId}`, sql`${oidcPayload.payload}->>'clientId' = ${clientId}`,
      or(isNull(oidcPayload.expiresAt), gt(oidcPayload.expiresAt, new Date()))))
    .orderBy(desc(sql`(${oidcPayload.payload}->>'iat')::bigint`)).limit(1))[0]?.id,
  /** Deletes expired state; returns how many rows went. */
  purgeExpired: async (tx: Tx, now: Date) => (await tx.delete(oidcPayload).where(lt(oidcPayload.expiresAt, now)).returning({ id: oidcPayload.id })).length,
};

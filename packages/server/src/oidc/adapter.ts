import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Database, Tx } from '../kernel/db/engine.js';
import { findControlCharacter } from '../kernel/http/validation.js';
import { oidcRepository as repo, type OidcClientRow } from './repository.js';

/** Client metadata as oidc-provider reads it, built from an oidc_client row. */
export type ClientMetadata = Record<string, unknown>;

export interface AdapterDeps {
  db: Database;
  /** Builds provider metadata for a registered, enabled client (unseals its secret). */
  clientMetadata(row: OidcClientRow): ClientMetadata;
}

const PLATFORM = { municipalityCode: null };
/** Ids come from the provider's own parsing of forms and queries: one with a control character was never stored. */
const storable = (id: string) => findControlCharacter(id, '') === undefined;
/** Expired provider state is deleted every this many writes (no separate job to run). */
const PURGE_EVERY = 200;

/**
 * oidc-provider's storage: every model (sessions, interactions, grants, codes, tokens) in oidc_payload,
 * one short transaction per call, no tenant (the table holds only pseudonymous account ids). Clients are
 * read from oidc_client through the SECURITY DEFINER lookup, so disabling one takes effect at once.
 */
export function adapterFactory(deps: AdapterDeps) {
  const { db } = deps;
  const run = <T>(fn: (tx: Tx) => Promise<T>) => db.tenant(PLATFORM, fn);
  let writes = 0;

  return class KazashiOidcAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      if (this.model === 'Client') throw new Error('clients are registered through the staff API');
      await run((tx) => repo.upsertPayload(tx, {
        model: this.model, id, payload,
        grantId: payload.grantId ?? null, userCode: payload.userCode ?? null, uid: payload.uid ?? null,
        expiresAt: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
      }));
      if (++writes % PURGE_EVERY === 0) await run((tx) => repo.purgeExpired(tx, new Date())).catch(() => 0);
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (!storable(id)) return undefined;
      if (this.model === 'Client') {
        const row = await run((tx) => repo.findActiveClient(tx, id));
        return row ? deps.clientMetadata(row) : undefined;
      }
      return this.found(await run((tx) => repo.findPayload(tx, this.model, { id })));
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      if (!storable(uid)) return undefined;
      return this.found(await run((tx) => repo.findPayload(tx, this.model, { uid })));
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      if (!storable(userCode)) return undefined;
      return this.found(await run((tx) => repo.findPayload(tx, this.model, { userCode })));
    }

    async consume(id: string): Promise<void> {
      await run((tx) => repo.consumePayload(tx, this.model, id, new Date()));
    }

    async destroy(id: string): Promise<void> {
      await run((tx) => repo.destroyPayload(tx, this.model, id));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await run((tx) => repo.revokeByGrantId(tx, grantId));
    }

    private found(row: Awaited<ReturnType<typeof repo.findPayload>>): AdapterPayload | undefined {
      if (!row) return undefined;
      if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) return undefined;
      const payload = row.payload as AdapterPayload;
      return row.consumedAt ? { ...payload, consumed: Math.floor(row.consumedAt.getTime() / 1000) } : payload;
    }
  };
}

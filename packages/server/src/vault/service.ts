import { createHash } from 'node:crypto';
import path from 'node:path';
import type { AuditService } from '../audit/index.js';
import type { Database, Tx } from '../kernel/db/engine.js';
import type { MunicipalityService } from '../municipality/index.js';
import { openString, sealString } from '../kernel/secrets.js';
import { KazashiError } from '../kernel/errors.js';
import type { VaultInfo } from './contract.js';
import { VaultErrors } from './errors.js';
import type { VaultKeyring } from './keyring.js';
import { RemoteVaultStore } from './remoteStore.js';
import { SqlVaultStore } from './sqlStore.js';
import { VAULT_LOCATIONS, type StoredRecord, type VaultLocation, type VaultStore } from './types.js';

/** Who is touching personal data, for which municipality, and why. Required on every vault call. */
export interface VaultAccess {
  municipalityCode: string;
  actor: string;
  purpose: string;
  requestId: string;
}

export type PersonalData = Record<string, string>;

export interface VaultPlacement {
  location: VaultLocation;
  url?: string | null;
  publicKey?: string | null;
}

export interface VaultDeps {
  db: Database;
  municipalities: MunicipalityService;
  audit: AuditService;
  keyring: VaultKeyring;
  /** Directory under which embedded vaults live (`<dataDir>/vault/<code>`); undefined keeps them in memory (tests). */
  embeddedRoot?: string;
  /** The platform's Ed25519 private key (PEM) for signing requests to remote vaults. */
  clientKeyPem: string;
  env?: NodeJS.ProcessEnv;
}

/** `${NAME}` placeholders in a stored vault URL are read from the environment, so credentials stay out of the DB. */
export function expandEnv(url: string, env: NodeJS.ProcessEnv = process.env): string {
  return url.replace(/\$\{([A-Z0-9_]+)\}/g, (_, name: string) => {
    const v = env[name];
    if (v === undefined) throw VaultErrors['vault-location-config']({ detail: `environment variable ${name} is not set` });
    return v;
  });
}

/** Per-record fingerprint used to verify a migration. */
export function recordHash(r: StoredRecord): string {
  const payload = Object.keys(r.payload).sort().map((k) => [k, r.payload[k]]);
  return createHash('sha256').update(JSON.stringify([r.municipalityCode, r.residentId, r.category, r.keyId, payload])).digest('hex');
}

const aadFor = (code: string, residentId: string, category: string, field: string) => `${code}|${residentId}|${category}|${field}`;

/**
 * The personal-data vault: one interface over three storage locations. Fields are sealed with the
 * municipality's data key before they leave this process; every access writes an audit entry in
 * the same platform transaction, so an access that fails leaves no entry and an entry that fails
 * leaves no access.
 */
export class VaultService {
  private readonly stores = new Map<string, { signature: string; store: Promise<VaultStore> }>();

  constructor(private readonly deps: VaultDeps) {}

  /** Opens a store for a placement (not cached); used for the live vault and for migration targets. */
  async openStore(code: string, placement: VaultPlacement): Promise<VaultStore> {
    switch (placement.location) {
      case 'embedded':
        return SqlVaultStore.embedded(this.deps.embeddedRoot ? path.join(this.deps.embeddedRoot, code) : undefined);
      case 'postgres':
        if (!placement.url) throw VaultErrors['vault-location-config']({ detail: 'url' });
        return SqlVaultStore.postgres(expandEnv(placement.url, this.deps.env));
      case 'remote':
        if (!placement.url || !placement.publicKey) throw VaultErrors['vault-location-config']({ detail: 'url, publicKey' });
        return new RemoteVaultStore(expandEnv(placement.url, this.deps.env), placement.publicKey, this.deps.clientKeyPem);
      default:
        throw VaultErrors['vault-location-config']({ detail: `location must be one of ${VAULT_LOCATIONS.join(', ')}` });
    }
  }

  /** The store currently serving `code`, reopened when its placement changes. */
  async storeFor(code: string, tx?: Tx): Promise<VaultStore> {
    const m = await this.deps.municipalities.get(code, tx);
    const placement: VaultPlacement = { location: m.vaultLocation as VaultLocation, url: m.vaultUrl, publicKey: m.vaultPublicKey };
    const signature = JSON.stringify(placement);
    const cached = this.stores.get(code);
    if (cached?.signature === signature) return cached.store;
    if (cached) void cached.store.then((s) => s.close()).catch(() => {});
    const store = this.openStore(code, placement);
    this.stores.set(code, { signature, store });
    store.catch(() => this.stores.delete(code));
    return store;
  }

  async describe(code: string): Promise<VaultInfo> {
    const m = await this.deps.municipalities.get(code);
    const store = await this.storeFor(code);
    return {
      location: store.location,
      detail: store.detail,
      recordCount: await store.count(code).catch(() => -1),
      keyId: this.deps.keyring.current(code).keyId,
      migrating: m.vaultMigrating,
    };
  }

  private seal(code: string, residentId: string, category: string, data: PersonalData): StoredRecord {
    const { keyId, key } = this.deps.keyring.current(code);
    const payload: Record<string, string> = {};
    for (const [field, value] of Object.entries(data)) payload[field] = sealString(key, value, aadFor(code, residentId, category, field));
    return { municipalityCode: code, residentId, category, keyId, payload };
  }

  private unseal(rec: StoredRecord, fields?: readonly string[]): PersonalData {
    const key = this.deps.keyring.byId(rec.municipalityCode, rec.keyId);
    const out: PersonalData = {};
    for (const [field, sealed] of Object.entries(rec.payload)) {
      if (fields && !fields.includes(field)) continue;
      try {
        out[field] = openString(key, sealed, aadFor(rec.municipalityCode, rec.residentId, rec.category, field));
      } catch (cause) {
        throw VaultErrors['vault-integrity']({}, { cause });
      }
    }
    return out;
  }

  private within<T>(access: VaultAccess, tx: Tx | undefined, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return tx ? fn(tx) : this.deps.db.tenant({ municipalityCode: access.municipalityCode }, fn);
  }

  private async writable(code: string, tx?: Tx): Promise<VaultStore> {
    if ((await this.deps.municipalities.get(code, tx)).vaultMigrating) throw VaultErrors['vault-migrating']();
    return this.storeFor(code, tx);
  }

  async get(access: VaultAccess, residentId: string, category: string, opts: { fields?: readonly string[]; tx?: Tx } = {}): Promise<PersonalData> {
    const code = access.municipalityCode;
    const store = await this.storeFor(code, opts.tx);
    return this.within(access, opts.tx, async (tx) => {
      const rec = await store.get(code, residentId, category);
      if (!rec) throw VaultErrors['vault-record-not-found']();
      const data = this.unseal(rec, opts.fields);
      await this.deps.audit.append(tx, code, { ...access, action: 'vault.read', residentId, categories: [category], fields: Object.keys(data) });
      return data;
    });
  }

  /**
   * Like `get`, but a missing record is `undefined` rather than an error: for read-modify-write,
   * where only "nothing stored yet" may start from empty. Any other failure (vault unreachable) is
   * thrown, so a merge never overwrites a record it could not read.
   */
  async getIfAny(access: VaultAccess, residentId: string, category: string, opts: { fields?: readonly string[]; tx?: Tx } = {}): Promise<PersonalData | undefined> {
    try {
      return await this.get(access, residentId, category, opts);
    } catch (e) {
      if (e instanceof KazashiError && e.code === 'vault-record-not-found') return undefined;
      throw e;
    }
  }

  async put(access: VaultAccess, residentId: string, category: string, data: PersonalData, opts: { tx?: Tx } = {}): Promise<void> {
    const code = access.municipalityCode;
    const store = await this.writable(code, opts.tx);
    const rec = this.seal(code, residentId, category, data);
    await this.within(access, opts.tx, async (tx) => {
      await this.deps.audit.append(tx, code, { ...access, action: 'vault.write', residentId, categories: [category], fields: Object.keys(data) });
      await store.put(rec);
    });
  }

  async delete(access: VaultAccess, residentId: string, category: string, opts: { tx?: Tx } = {}): Promise<boolean> {
    const code = access.municipalityCode;
    const store = await this.writable(code, opts.tx);
    return this.within(access, opts.tx, async (tx) => {
      await this.deps.audit.append(tx, code, { ...access, action: 'vault.delete', residentId, categories: [category], fields: [] });
      return store.delete(code, residentId, category);
    });
  }

  /** Records of one category (optionally for given residents); one audit entry names every resident returned. */
  async find(access: VaultAccess, query: { category: string; residentIds?: string[]; fields?: readonly string[] }, opts: { tx?: Tx } = {}) {
    const code = access.municipalityCode;
    const store = await this.storeFor(code, opts.tx);
    return this.within(access, opts.tx, async (tx) => {
      const recs = await store.find(code, { category: query.category, residentIds: query.residentIds });
      const out = recs.map((r) => ({ residentId: r.residentId, data: this.unseal(r, query.fields) }));
      for (const r of out) {
        await this.deps.audit.append(tx, code, { ...access, action: 'vault.find', residentId: r.residentId, categories: [query.category], fields: Object.keys(r.data) });
      }
      return out;
    });
  }

  async close(): Promise<void> {
    const all = [...this.stores.values()];
    this.stores.clear();
    await Promise.all(all.map((s) => s.store.then((st) => st.close()).catch(() => {})));
  }
}

/** Where a municipality keeps its personal-data vault (個人データ保管場所, chosen per municipality). */
export const VAULT_LOCATIONS = ['embedded', 'postgres', 'remote'] as const;
export type VaultLocation = (typeof VAULT_LOCATIONS)[number];

// Personal-data categories are declared by the modules that own them: kernel/dataCategories.ts.
export type { DataCategory } from '../kernel/dataCategories.js';

/** A record as storage sees it: every field value is already ciphertext. */
export interface StoredRecord {
  municipalityCode: string;
  residentId: string;
  category: string;
  keyId: string;
  payload: Record<string, string>;
}

/**
 * Storage behind the vault: interchangeable implementations (embedded PGlite, PostgreSQL, remote
 * service), each holding ciphertext only. Encryption, authorisation and audit sit above this, in VaultService.
 */
export interface VaultStore {
  readonly location: VaultLocation;
  /** Human-readable place, without credentials. */
  readonly detail: string;
  get(code: string, residentId: string, category: string): Promise<StoredRecord | undefined>;
  put(record: StoredRecord): Promise<void>;
  delete(code: string, residentId: string, category: string): Promise<boolean>;
  find(code: string, query: { category?: string; residentIds?: string[] }): Promise<StoredRecord[]>;
  count(code: string): Promise<number>;
  /** Every record of one municipality, for migration and its verification. */
  all(code: string): Promise<StoredRecord[]>;
  close(): Promise<void>;
}

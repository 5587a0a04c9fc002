/** Where a municipality keeps its personal-data vault (個人データ保管場所, chosen per municipality). */
export const VAULT_LOCATIONS = ['embedded', 'postgres', 'remote'] as const;
export type VaultLocation = (typeof VAULT_LOCATIONS)[number];

/** Personal-data categories. Values live only in the vault; the platform DB knows category names at most. */
export const DATA_CATEGORIES = {
  basic: ['nameKanji', 'nameKana', 'address', 'birthDate', 'sex'],
  contact: ['phone', 'email'],
  household: ['householdHead', 'members'],
  health: ['allergies', 'medication', 'careLevel'],
  needs: ['disability', 'pregnancy', 'language', 'notes'],
  voting: ['pollingDistrict', 'electorNumber'],
  /** Shelter pre-registration and walk-ins (避難所): keyed by the evacuee id (= resident id for the card holder). */
  evacuee: ['nameKanji', 'nameKana', 'birthDate', 'sex', 'phone', 'allergies', 'medication', 'care', 'disability', 'notes', 'pets', 'carPlate', 'carModel'],
} as const;
export type DataCategory = keyof typeof DATA_CATEGORIES;
export const CATEGORY_IDS = Object.keys(DATA_CATEGORIES) as DataCategory[];

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

// The JSON shapes of the vault API, written once: route schemas (validation, serialization, the
// OpenAPI document the web client's types are generated from) and the server's own types.
import { Strict, StringEnum, Type, type Static } from '../kernel/http/contract.js';
import { VAULT_LOCATIONS } from './types.js';

/** Where a municipality keeps its personal-data vault (個人データ保管場所). */
export const VaultLocation = StringEnum(VAULT_LOCATIONS);
export type VaultLocation = Static<typeof VaultLocation>;

/** GET /api/municipalities/:code/vault */
export const VaultInfo = Type.Object({
  location: VaultLocation,
  detail: Type.String({ description: 'Human-readable place, without credentials' }),
  recordCount: Type.Integer({ description: '-1 when the vault cannot be reached' }),
  keyId: Type.String({ description: "The municipality's current data key" }),
  migrating: Type.Boolean({ description: 'A migration is under way (writes are paused)' }),
});
export type VaultInfo = Static<typeof VaultInfo>;

/** POST /api/municipalities/:code/vault/migrate */
export const VaultMigrateRequest = Strict({
  to: VaultLocation,
  url: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  publicKey: Type.Optional(Type.String({ maxLength: 2000 })),
});
export type VaultMigrateRequest = Static<typeof VaultMigrateRequest>;

/** A finished migration: counts and per-record hashes verified before the switch. */
export const VaultMigrateResult = Type.Object({
  municipalityCode: Type.String(), from: VaultLocation, to: VaultLocation, records: Type.Integer(), verified: Type.Literal(true),
});
export type VaultMigrateResult = Static<typeof VaultMigrateResult>;

// The JSON shapes of the audit API, written once: route schemas (validation, serialization, the
// OpenAPI document the web client's types are generated from) and the server's own types.
import { Nullable, StringEnum, Timestamp, Type, type Static } from '../kernel/http/contract.js';

const str = Type.String();
const strings = Type.Array(Type.String());

/**
 * An entry as staff see it: the chained fields, the time as ISO text and the entry's own hash. An
 * entry the sealer has not reached yet (moments after its request) has no seq or hash and says so.
 */
export const AuditEntry = Type.Object({
  id: Type.String({ description: '`s<seq>` once sealed into the chain, `p<n>` while waiting for the sealer' }),
  seq: Nullable(Type.Integer()),
  at: Timestamp(),
  actor: str, action: str,
  residentId: Nullable(Type.String()),
  purpose: str,
  categories: strings, fields: strings,
  requestId: str,
  hash: Nullable(Type.String()),
  sealed: Type.Boolean(),
});
export type AuditEntry = Static<typeof AuditEntry>;

/** GET /api/municipalities/:code/audit (newest first). */
export const AuditSearchResult = Type.Object({ entries: Type.Array(AuditEntry) });
export type AuditSearchResult = Static<typeof AuditSearchResult>;

export const AUDIT_BREAK_REASONS = ['missing-entry', 'prev-hash-mismatch', 'hash-mismatch', 'head-mismatch'] as const;
/** Why a chain's verification failed at an entry. */
export const AuditBreakReason = StringEnum(AUDIT_BREAK_REASONS);
export type AuditBreakReason = Static<typeof AuditBreakReason>;

/** A chain's verification, with the entries still waiting to be sealed. */
export const AuditVerifyResult = Type.Object({
  municipalityCode: str, ok: Type.Boolean(), checked: Type.Integer(),
  brokenAt: Type.Optional(Type.Object({ seq: Type.Integer(), reason: AuditBreakReason }, { description: 'The first broken entry (only when not ok)' })),
  pending: Type.Integer({ description: 'Entries recorded but not yet sealed into the chain (normally 0, a moment after an access)' }),
  oldestPendingAt: Nullable(Timestamp()),
});
export type AuditVerifyResult = Static<typeof AuditVerifyResult>;

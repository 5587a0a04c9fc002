/** Shapes of the Kazashi HTTP API (see /openapi.json on the server). */

export type RoleId = 'platform_admin' | 'municipal_admin' | 'shelter_staff' | 'disaster_hq' | 'election_official';
export const ROLE_IDS: readonly RoleId[] = [
  'platform_admin',
  'municipal_admin',
  'shelter_staff',
  'disaster_hq',
  'election_official',
];

export type VaultLocation = 'embedded' | 'postgres' | 'remote';
export const VAULT_LOCATIONS: readonly VaultLocation[] = ['embedded', 'postgres', 'remote'];

export interface SessionStaff {
  id: string;
  loginName: string;
  displayName: string;
  municipalityCode: string;
  roles: string[];
}

export interface Session {
  staff: SessionStaff;
  csrfToken: string;
}

export interface LoginRequest {
  loginName: string;
  password: string;
  totp?: string;
}

export interface GroupRef {
  id: string;
  nameJa: string;
  nameEn: string;
}

export interface PublicMunicipality {
  code: string;
  nameJa: string;
  nameEn: string;
  prefectureJa: string;
  prefectureEn: string;
  services: string[];
  groups: GroupRef[];
}

export interface Service {
  id: string;
  nameJa: string;
  nameEn: string;
}

export interface Municipality {
  code: string;
  nameJa: string;
  nameEn: string;
  prefectureJa: string;
  prefectureEn: string;
  vaultLocation: VaultLocation | string;
}

export interface MunicipalityInput {
  code: string;
  nameJa: string;
  nameEn: string;
  prefectureJa: string;
  prefectureEn: string;
}

export type MunicipalityPatch = Partial<Omit<MunicipalityInput, 'code'>>;

export interface GroupMember {
  municipalityCode: string;
  nameJa: string;
  nameEn: string;
  services: string[];
}

export interface JointUseGroup {
  id: string;
  nameJa: string;
  nameEn: string;
  members: GroupMember[];
}

export interface StaffAccount {
  id: string;
  loginName: string;
  displayName: string;
  roles: string[];
  totpEnrolled: boolean;
  lockedUntil: string | null;
  disabled: boolean;
}

export interface StaffCreateRequest {
  loginName: string;
  displayName: string;
  roles: string[];
  password: string;
}

export interface StaffCreated {
  staff: StaffAccount;
  totpSecret: string;
  totpUri: string;
}

export interface StaffPatch {
  displayName?: string;
  roles?: string[];
  disabled?: boolean;
}

export interface VaultInfo {
  location: VaultLocation | string;
  detail: string;
  recordCount: number;
  keyId: string;
}

export interface VaultMigrateRequest {
  to: VaultLocation;
  url?: string;
}

export interface VaultMigrateResult {
  from: string;
  to: string;
  records: number;
  verified: boolean;
}

export interface AuditEntry {
  /** Stable key: `s<seq>` once sealed into the chain, `p<n>` for a moment before. */
  id: string;
  seq: number | null;
  sealed: boolean;
  at: string;
  actor: string;
  action: string;
  residentId: string | null;
  purpose: string | null;
  categories: string[];
  fields: string[];
  requestId: string | null;
  hash: string | null;
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  residentId?: string;
  from?: string;
  to?: string;
  limit?: number;
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  brokenAt?: { seq: number; reason: string };
  /** Entries recorded but not yet sealed into the chain (normally 0). */
  pending: number;
  oldestPendingAt: string | null;
}

/** ISO/IEC TS 27560-shaped consent record (the resident's own, on My page, and at the counter). */
export interface ConsentView {
  id: string;
  subject: string;
  controller: string;
  purpose: string;
  scope: { services: string[]; dataCategories: string[] };
  recipients: string[];
  givenAt: string;
  withdrawnAt: string | null;
  status: 'active' | 'withdrawn';
  termsVersion: string;
}

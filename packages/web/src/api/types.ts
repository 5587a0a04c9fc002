// The shapes of the Kazashi HTTP API: named in the server's module contracts
// (packages/server/src/<domain>/contract.ts) and generated from its OpenAPI document (see ./contract.ts).
// Only aliases here, so a change on the server shows up as a type error in the web app.
import type { Schema } from './contract';
import type { paths } from './generated/openapi';

/**
 * Every value of a generated string union, listed once for the UI (choices, labels): a list that
 * misses a value the server declares does not type-check.
 */
const everyValue =
  <T extends string>() =>
  <const L extends readonly T[]>(list: L & ([Exclude<T, L[number]>] extends [never] ? unknown : never)): readonly T[] =>
    list;

export type RoleId = Schema<'RoleId'>;
export const ROLE_IDS = everyValue<RoleId>()(['platform_admin', 'municipal_admin', 'shelter_staff', 'disaster_hq', 'election_official']);

export type VaultLocation = Schema<'VaultLocation'>;
export const VAULT_LOCATIONS = everyValue<VaultLocation>()(['embedded', 'postgres', 'remote']);

// Staff sessions and accounts (packages/server/src/staff/contract.ts).
export type SessionStaff = Schema<'SessionStaff'>;
export type Session = Schema<'StaffSessionView'>;
export type NavigationItem = Schema<'NavigationItem'>;
/** The signed-in staff member with what the server says they may do (permissions) and the menu that opens. */
export type SignedInStaff = SessionStaff & Pick<Session, 'permissions' | 'navigation'>;
export const signedInStaff = (s: Session): SignedInStaff => ({ ...s.staff, permissions: s.permissions, navigation: s.navigation });
export type LoginRequest = Schema<'StaffLoginRequest'>;
export type StaffAccount = Schema<'StaffAccount'>;
export type StaffCreateRequest = Schema<'StaffCreateRequest'>;
export type StaffCreated = Schema<'StaffCreated'>;
export type StaffPatch = Schema<'StaffPatch'>;

// Municipalities and joint use (packages/server/src/municipality/contract.ts).
export type ServiceId = Schema<'ServiceId'>;
export type Service = Schema<'ServiceView'>;
export type GroupRef = Schema<'JointUseGroupRef'>;
export type PublicMunicipality = Schema<'PublicMunicipality'>;
export type Municipality = Schema<'MunicipalityView'>;
export type MunicipalityInput = Schema<'MunicipalityInput'>;
export type MunicipalityPatch = Schema<'MunicipalityPatch'>;
export type GroupMember = Schema<'JointUseMember'>;
export type JointUseGroup = Schema<'JointUseGroup'>;
export type JointUseGroupInput = Schema<'JointUseGroupInput'>;
export type JointUseMemberInput = Schema<'JointUseMemberInput'>;
export type TouchOnlyFlows = Schema<'TouchOnlyFlows'>;

// The personal-data vault (packages/server/src/vault/contract.ts).
export type VaultInfo = Schema<'VaultInfo'>;
export type VaultMigrateRequest = Schema<'VaultMigrateRequest'>;
export type VaultMigrateResult = Schema<'VaultMigrateResult'>;

// The audit trail (packages/server/src/audit/contract.ts).
export type AuditEntry = Schema<'AuditEntry'>;
export type AuditSearchResult = Schema<'AuditSearchResult'>;
/** The search's query parameters (a querystring is not a named schema: taken from the operation). */
export type AuditQuery = NonNullable<paths['/api/municipalities/{code}/audit']['get']['parameters']['query']>;
export type AuditVerifyResult = Schema<'AuditVerifyResult'>;
export type AuditBreakReason = Schema<'AuditBreakReason'>;

/**
 * ISO/IEC TS 27560-shaped consent record (the resident's own, on My page, and at the counter):
 * generated from the server's OpenAPI document (packages/server/src/registration/contract.ts).
 */
export type ConsentView = import('./contract').Schema<'ConsentView'>;

import type { TenantContext } from './db/engine.js';
import { HttpErrors } from './errors.js';

export const ROLES = ['platform_admin', 'municipal_admin', 'shelter_staff', 'disaster_hq', 'election_official'] as const;
export type Role = (typeof ROLES)[number];

export type Permission =
  | 'municipality:create'
  | 'municipality:edit'
  | 'jointuse:create'
  | 'jointuse:manage'
  | 'staff:manage'
  | 'vault:read'
  | 'vault:migrate'
  | 'audit:read'
  | 'personal:read'
  | 'personal:write'
  | 'resident:list'
  | 'resident:register'
  | 'card:manage'
  | 'consent:read'
  | 'consent:manage'
  | 'qr:issue'
  | 'qr:validate'
  | 'oidc:manage'
  /** Shelter work: check-in and out, roster, walk-in intake, supply requests, the HQ view. */
  | 'shelter:operate'
  /** Disaster HQ: declare disasters, open and close shelters, the registry, supply orders. */
  | 'shelter:command';

/**
 * What each role may do. A platform admin acts across municipalities but never reads a resident's
 * personal data; every other role acts only within its own municipality.
 */
const GRANTS: Record<Role, readonly Permission[]> = {
  platform_admin: ['municipality:create', 'municipality:edit', 'jointuse:create', 'jointuse:manage', 'staff:manage', 'vault:read', 'vault:migrate', 'audit:read', 'resident:list'],
  municipal_admin: ['municipality:edit', 'jointuse:manage', 'staff:manage', 'vault:read', 'audit:read', 'personal:read', 'personal:write', 'resident:list',
    'resident:register', 'card:manage', 'consent:read', 'consent:manage', 'qr:issue', 'qr:validate', 'oidc:manage',
    'shelter:operate', 'shelter:command'],
  shelter_staff: ['resident:list', 'qr:validate', 'shelter:operate'],
  disaster_hq: ['resident:list', 'qr:validate', 'shelter:operate', 'shelter:command'],
  election_official: [],
};

export interface StaffPrincipal {
  id: string;
  loginName: string;
  displayName: string;
  municipalityCode: string;
  roles: Role[];
}

export function isPlatformAdmin(p: StaffPrincipal): boolean {
  return p.roles.includes('platform_admin');
}

export function can(p: StaffPrincipal, perm: Permission, code: string): boolean {
  return p.roles.some((r) => GRANTS[r]?.includes(perm) && (r === 'platform_admin' || code === p.municipalityCode));
}

/** The tenant context for `p` acting on municipality `code` with `perm`, or a 403. */
export function actFor(p: StaffPrincipal, code: string, perm: Permission): TenantContext {
  if (!can(p, perm, code)) throw HttpErrors.forbidden();
  return { municipalityCode: code, platformAdmin: isPlatformAdmin(p) };
}

/** The tenant context for reading shared, non-tenant data (the municipality list, groups). */
export function ownContext(p: StaffPrincipal): TenantContext {
  return { municipalityCode: p.municipalityCode, platformAdmin: isPlatformAdmin(p) };
}

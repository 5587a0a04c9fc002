import type { TenantContext } from './db/engine.js';
import { HttpErrors } from './errors.js';

/**
 * Who calls. Staff act for their municipality with the permissions their roles grant; residents act
 * for themselves (kernel/residentCaller.ts); machine callers (API keys, later merchants) get their
 * own kinds here as the domains that need them arrive.
 */
export const ROLES = ['platform_admin', 'municipal_admin', 'shelter_staff', 'disaster_hq', 'election_official'] as const;
export type Role = (typeof ROLES)[number];

/**
 * The permissions modules declare. Each module adds its own ids by declaration merging, next to its
 * module object, so that `actFor(p, code, 'shelter:operate')` is checked by the compiler:
 *
 * ```ts
 * declare module '../kernel/callers.js' { interface PermissionIds { 'shelter:operate': true } }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PermissionIds {}
export type Permission = Extract<keyof PermissionIds, string>;

/** What a permission allows and which roles have it. */
export interface PermissionSpec {
  description: string;
  roles: readonly Role[];
}

const declared = new Map<string, { module: string; spec: PermissionSpec }>();

/** A permission declared twice: refused at start-up, naming both modules. */
export class DuplicateDeclarationError extends Error {
  override readonly name = 'DuplicateDeclarationError';
}

/** Called for each module as it is defined (`defineModule`); a permission id belongs to one module. */
export function declarePermissions(module: string, specs: Record<string, PermissionSpec>): void {
  for (const [id, spec] of Object.entries(specs)) {
    const prior = declared.get(id);
    if (prior && prior.module !== module) throw new DuplicateDeclarationError(`permission ${id} is declared by both ${prior.module} and ${module}`);
    for (const role of spec.roles) if (!(ROLES as readonly string[]).includes(role)) throw new Error(`permission ${id} (${module}) grants an unknown role ${role}`);
    declared.set(id, { module, spec });
  }
}

/** Every declared permission, with the module that owns it (the admin screens, the README table). */
export function declaredPermissions(): { id: string; module: string; description: string; roles: readonly Role[] }[] {
  return [...declared].map(([id, { module, spec }]) => ({ id, module, description: spec.description, roles: spec.roles })).sort((a, b) => a.id.localeCompare(b.id));
}

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

/**
 * Whether `p` may do `perm` for municipality `code`. A platform admin acts across municipalities
 * (only where a permission grants the role: never a resident's personal data); every other role acts
 * only within its own municipality.
 */
export function can(p: StaffPrincipal, perm: Permission, code: string): boolean {
  const d = declared.get(perm);
  if (!d) throw new Error(`permission ${perm} is not declared by any module`);
  return p.roles.some((r) => d.spec.roles.includes(r) && (r === 'platform_admin' || code === p.municipalityCode));
}

/** The permissions `p` has for its own municipality (the session response: the web app shows what they may do). */
export function permissionsOf(p: StaffPrincipal): Permission[] {
  return [...declared.keys()].filter((id) => can(p, id as Permission, p.municipalityCode)).sort() as Permission[];
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

// The JSON shapes of the staff API, written once: route schemas (validation, serialization, the
// OpenAPI document the web client's types are generated from) and the server's own types.
import { ROLES } from '../kernel/callers.js';
import { Nullable, Strict, StringEnum, Timestamp, Type, type Static } from '../kernel/http/contract.js';

const str = Type.String();

/** A staff role (the permissions each grants are declared by the modules). */
export const RoleId = StringEnum(ROLES);
export type RoleId = Static<typeof RoleId>;

const rolesInput = Type.Array(RoleId, { minItems: 1, maxItems: ROLES.length, uniqueItems: true });

/** The signed-in staff member. */
export const SessionStaff = Type.Object({ id: str, loginName: str, displayName: str, municipalityCode: str, roles: Type.Array(RoleId) });

/** An entry of the web app's menu that the staff member's permissions open (declared by the modules). */
export const NavigationItem = Type.Object({ path: str, labelKey: Type.String({ description: "i18n key of the label in the web app" }), area: StringEnum(['admin', 'operations'] as const) });
export type NavigationItem = Static<typeof NavigationItem>;
export type SessionStaff = Static<typeof SessionStaff>;

/** The staff session: who is signed in and the CSRF token unsafe requests send (x-csrf-token). */
export const StaffSessionView = Type.Object({
  staff: SessionStaff,
  /** What the staff member may do in their own municipality (the server decides every request anew). */
  permissions: Type.Array(Type.String()),
  navigation: Type.Array(NavigationItem),
  csrfToken: str,
  expiresAt: Type.Optional(Timestamp({ description: 'When the session expires unless used (sent by the login)' })),
});
export type StaffSessionView = Static<typeof StaffSessionView>;

/** POST /api/auth/login */
export const StaffLoginRequest = Strict({
  loginName: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 256 }),
  totp: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
});
export type StaffLoginRequest = Static<typeof StaffLoginRequest>;

/** A staff account as its administrators see it. */
export const StaffAccount = Type.Object({
  id: str, loginName: str, displayName: str, municipalityCode: str, roles: Type.Array(RoleId),
  totpEnrolled: Type.Boolean(),
  lockedUntil: Nullable(Timestamp(), { description: 'Locked after too many failed logins until then; null when not locked' }),
  disabled: Type.Boolean(),
});
export type StaffAccount = Static<typeof StaffAccount>;

/** POST /api/municipalities/:code/staff */
export const StaffCreateRequest = Strict({
  loginName: Type.String({ pattern: '^[a-z0-9._-]{3,64}$' }),
  displayName: Type.String({ minLength: 1, maxLength: 100 }),
  roles: rolesInput,
  password: Type.String({ minLength: 1, maxLength: 256 }),
});
export type StaffCreateRequest = Static<typeof StaffCreateRequest>;

/** A created account with its TOTP secret, shown once so it can be enrolled in an authenticator app. */
export const StaffCreated = Type.Object({ staff: StaffAccount, totpSecret: str, totpUri: Type.String({ description: 'otpauth:// URI (QR code)' }) });
export type StaffCreated = Static<typeof StaffCreated>;

/** PATCH /api/municipalities/:code/staff/:id */
export const StaffPatch = Strict({
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  roles: Type.Optional(rolesInput),
  disabled: Type.Optional(Type.Boolean()),
}, { minProperties: 1 });
export type StaffPatch = Static<typeof StaffPatch>;

// The JSON shapes of the portal API (resident sessions and My page), written once: route schemas
// (validation, serialization, the OpenAPI document the web client's types are generated from) and
// the server's own types. Consents are registration's, the QR token qr's (see their contracts).
import { touchProperties } from '../identity/index.js';
import { Localized, MunicipalityCode, Nullable, Strict, StringEnum, Timestamp, Type, type Static } from '../kernel/http/contract.js';
import { ACR } from '../kernel/residentCaller.js';
import { TOUCH_ONLY_FLOW } from '../municipality/index.js';

const str = Type.String();
const nullableStr = Nullable(Type.String());
const code = MunicipalityCode;

/** How the resident proved themselves for the session: card + PIN, or a card touch alone (kiosk, weaker). */
export const Acr = StringEnum([ACR.cardPin, ACR.cardTouch]);
export type Acr = Static<typeof Acr>;


/** POST /api/resident/challenges */
export const ResidentChallengeRequest = Strict({ municipalityCode: code, purpose: Type.Literal('login') });
export type ResidentChallengeRequest = Static<typeof ResidentChallengeRequest>;

const touch = touchProperties({});
/** POST /api/resident/login: card + PIN on the resident's own device (a touch with purpose login). */
export const ResidentLoginRequest = Strict({
  municipalityCode: code, challengeId: Type.Unsafe<string>(touch.challengeId), purpose: Type.Literal('login'),
  certificate: Type.Unsafe<string>(touch.certificate), signature: Type.Unsafe<string>(touch.signature),
});
export type ResidentLoginRequest = Static<typeof ResidentLoginRequest>;

/** POST /api/municipalities/:code/resident-sessions/touch: a kiosk's touch-only login. */
export const KioskTouchRequest = Strict({
  flow: Type.String({ pattern: TOUCH_ONLY_FLOW.source, description: 'The kiosk flow, e.g. shelter-reentry' }),
  certificate: Type.Unsafe<string>(touch.certificate),
});
export type KioskTouchRequest = Static<typeof KioskTouchRequest>;

const sessionFields = {
  municipalityCode: str, municipalityName: Localized,
  residentId: str, residentNumber: str, globalId: str, acr: Acr, authTime: Timestamp(), expiresAt: Timestamp(),
};
/** The resident's session as the resident's browser sees it, with its CSRF token. */
export const ResidentSessionView = Type.Object({ ...sessionFields, csrfToken: str });
export type ResidentSessionView = Static<typeof ResidentSessionView>;
/** The session as My page shows it (no CSRF token). */
export const MyPageSession = Type.Object(sessionFields);
export type MyPageSession = Static<typeof MyPageSession>;

/** The basic four as the vault holds them (a field may be missing: null). */
export const MyProfile = Type.Object({ name: nullableStr, address: nullableStr, birthDate: nullableStr, sex: nullableStr });
export type MyProfile = Static<typeof MyProfile>;

/** What My page shows at the top: session, profile (null when the vault holds none), joined services, cards. */
export const MyPage = Type.Object({
  session: MyPageSession,
  profile: Nullable(MyProfile),
  services: Type.Array(Type.Object({ id: str, joined: Type.Boolean() })),
  cards: Type.Array(Type.Object({ status: StringEnum(['active', 'suspended', 'replaced'] as const), boundAt: Timestamp(), suspendedAt: Nullable(Timestamp()) })),
});
export type MyPage = Static<typeof MyPage>;

/** One line of the resident's own access log: who touched their records, when and why. */
export const AccessLogEntry = Type.Object({
  id: Type.String({ description: "Stable key of the entry (its place in the chain once sealed)" }),
  at: Timestamp(),
  seq: Nullable(Type.Integer(), { description: "The entry's place in the municipality's hash chain; null for a moment after the access, until it is sealed" }),
  actorKind: StringEnum(['staff', 'resident', 'service', 'system'] as const),
  actor: Type.String({ description: 'Display name: the staff login, `self`, the OIDC client id, or the system actor as recorded' }),
  action: str, purpose: str, categories: Type.Array(str), fields: Type.Array(str),
});
export type AccessLogEntry = Static<typeof AccessLogEntry>;

/** POST /api/resident/me/card/suspend (lost card). */
export const MyCardSuspendRequest = Strict({ reason: Type.String({ minLength: 2, maxLength: 200 }) });
export type MyCardSuspendRequest = Static<typeof MyCardSuspendRequest>;

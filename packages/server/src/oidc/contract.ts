// The JSON shapes of the OpenID Connect API (the login/consent interaction and staff registration of
// clients), written once: route schemas (validation, serialization, the OpenAPI document the web
// client's types are generated from) and the server's own types. The provider's own endpoints
// (/oidc/...) are the protocol's, not described here.
import { Localized, Nullable, Strict, StringEnum, Timestamp, Type, type Static } from '../kernel/http/contract.js';
import { Acr } from '../portal/index.js';

const str = Type.String();

/** Scopes a service can ask for; each maps to claims read from the municipality's vault (see service.ts). */
export const OIDC_SCOPES = ['openid', 'profile', 'address', 'birthdate', 'gender'] as const;
export const OidcScope = StringEnum(OIDC_SCOPES);
export type OidcScope = Static<typeof OidcScope>;
export const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none'] as const;
export const OidcAuthMethod = StringEnum(AUTH_METHODS);
export type OidcAuthMethod = Static<typeof OidcAuthMethod>;

const scopeList = Type.Array(OidcScope, { maxItems: 10, uniqueItems: true });

/** What the login/consent page shows: the service, the items it asks for, the required acr and the resident session. */
export const OidcInteractionDetails = Type.Object({
  prompt: StringEnum(['login', 'consent'] as const),
  client: Type.Object({ clientId: str, name: Localized, municipalityCode: str, municipalityName: Localized }),
  scopes: Type.Array(str, { description: 'Scopes requested and allowed for the service (openid first)' }),
  missingScopes: Type.Array(str, { description: 'Scopes not consented yet' }),
  acrRequested: Nullable(Acr),
  freshLoginRequired: Type.Boolean({ description: 'prompt=login or a max_age the resident session is older than: only a card login made now will do' }),
  resident: Type.Object({ loggedIn: Type.Boolean(), acr: Nullable(Acr), municipalityCode: Nullable(Type.String()) }),
});
export type OidcInteractionDetails = Static<typeof OidcInteractionDetails>;

/** Where the browser goes next (back to the provider, which answers the service). */
export const OidcRedirect = Type.Object({ redirectTo: str });
export type OidcRedirect = Static<typeof OidcRedirect>;

/** POST /oidc/interaction/:uid/consent: the items the resident approved (the rest are refused). */
export const OidcConsentRequest = Strict({ scopes: scopeList });
export type OidcConsentRequest = Static<typeof OidcConsentRequest>;

/** A joint-use service registered as an OpenID Connect client. */
export const OidcClientView = Type.Object({
  clientId: str, municipalityCode: str, name: Localized, redirectUris: Type.Array(str), scopes: Type.Array(str),
  tokenEndpointAuthMethod: str, createdBy: str, createdAt: Timestamp(), disabledAt: Nullable(Timestamp()),
});
export type OidcClientView = Static<typeof OidcClientView>;

/** POST /api/municipalities/:code/oidc-clients */
export const OidcClientInput = Strict({
  nameJa: Type.String({ minLength: 1, maxLength: 100 }), nameEn: Type.String({ minLength: 1, maxLength: 100 }),
  redirectUris: Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { minItems: 1, maxItems: 10 }),
  scopes: scopeList,
  tokenEndpointAuthMethod: OidcAuthMethod,
});
export type OidcClientInput = Static<typeof OidcClientInput>;

export const OidcClientCreated = Type.Object({
  client: OidcClientView,
  clientSecret: Type.Optional(Type.String({ description: "A confidential client's secret, returned this once" })),
});
export type OidcClientCreated = Static<typeof OidcClientCreated>;

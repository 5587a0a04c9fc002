// The OpenID Connect domain's public face.
export { OidcService, ACR_VALUES, accountIdOf, type ResidentSessionLookup, type InteractionDetailsView } from './service.js';
export { OidcClientService, OIDC_SCOPES, AUTH_METHODS, validateRedirectUri, type OidcClientView, type OidcClientInput, type ClientCaller } from './clients.js';
export { oidcRoutes, oidcProviderMount } from './routes.js';
export { OidcErrors } from './errors.js';
export { loadOrCreateJwks, pairwiseSubject } from './keys.js';

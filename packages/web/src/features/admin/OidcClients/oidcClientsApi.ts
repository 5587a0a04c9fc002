import { request } from '../../../api/api';
import type { Schema } from '../../../api/contract';

/** Items a joint-use service may ask for (the OpenID Connect scopes besides `openid`): checkbox order. */
export const CLIENT_SCOPES = ['profile', 'address', 'birthdate', 'gender'] as const satisfies readonly Schema<'OidcScope'>[];
export type ClientScope = Schema<'OidcScope'>;
export const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none'] as const satisfies readonly Schema<'OidcAuthMethod'>[];
export type AuthMethod = Schema<'OidcAuthMethod'>;

// The shapes are the server's (packages/server/src/oidc/contract.ts), generated from the OpenAPI document.
export type OidcClient = Schema<'OidcClientView'>;
export type OidcClientInput = Schema<'OidcClientInput'>;
export type OidcClientCreated = Schema<'OidcClientCreated'>;

const path = (code: string) => `/api/municipalities/${encodeURIComponent(code)}/oidc-clients`;

/** Staff API for registering joint-use services as OpenID Connect clients (municipal admin). */
export const oidcClientsApi = {
  list: (code: string, signal?: AbortSignal) => request<OidcClient[]>('GET', path(code), { signal }),
  create: (code: string, body: OidcClientInput) => request<OidcClientCreated>('POST', path(code), { body }),
  disable: (code: string, clientId: string) => request<OidcClient>('POST', `${path(code)}/${encodeURIComponent(clientId)}/disable`, { body: {} }),
};

export const isClientScope = (s: string): s is ClientScope => (CLIENT_SCOPES as readonly string[]).includes(s);
export const isAuthMethod = (s: string): s is AuthMethod => (AUTH_METHODS as readonly string[]).includes(s);

import { request } from '../../../api/api';

/** Items a joint-use service may ask for (the OpenID Connect scopes besides `openid`). */
export const CLIENT_SCOPES = ['profile', 'address', 'birthdate', 'gender'] as const;
export type ClientScope = (typeof CLIENT_SCOPES)[number];
export const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

export interface OidcClient {
  clientId: string;
  municipalityCode: string;
  name: { ja: string; en: string };
  redirectUris: string[];
  scopes: string[];
  tokenEndpointAuthMethod: AuthMethod | string;
  createdBy: string;
  createdAt: string;
  disabledAt: string | null;
}

export interface OidcClientInput {
  nameJa: string;
  nameEn: string;
  redirectUris: string[];
  scopes: ClientScope[];
  tokenEndpointAuthMethod: AuthMethod;
}

export interface OidcClientCreated {
  client: OidcClient;
  /** Confidential clients only; shown once. */
  clientSecret?: string;
}

const path = (code: string) => `/api/municipalities/${encodeURIComponent(code)}/oidc-clients`;

/** Staff API for registering joint-use services as OpenID Connect clients (municipal admin). */
export const oidcClientsApi = {
  list: (code: string, signal?: AbortSignal) => request<OidcClient[]>('GET', path(code), { signal }),
  create: (code: string, body: OidcClientInput) => request<OidcClientCreated>('POST', path(code), { body }),
  disable: (code: string, clientId: string) => request<OidcClient>('POST', `${path(code)}/${encodeURIComponent(clientId)}/disable`, { body: {} }),
};

export const isClientScope = (s: string): s is ClientScope => (CLIENT_SCOPES as readonly string[]).includes(s);
export const isAuthMethod = (s: string): s is AuthMethod => (AUTH_METHODS as readonly string[]).includes(s);

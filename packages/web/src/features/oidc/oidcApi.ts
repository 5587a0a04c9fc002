import { sendJson } from '../../api/api';
import type { Schema } from '../../api/contract';
import type { Acr } from '../../api/resident';

export type { Acr };
export const ACR_CARD_PIN: Acr = 'urn:kazashi:acr:card-pin';

/** GET /oidc/interaction/:uid/details (generated from the server's OpenAPI document). */
export type InteractionDetails = Schema<'OidcInteractionDetails'>;
type Redirect = Schema<'OidcRedirect'>;

function call<T>(method: 'GET' | 'POST', path: string, body?: unknown, csrf?: string | null): Promise<T> {
  return sendJson<T>(method, path, { body, csrf });
}

const base = (uid: string) => `/oidc/interaction/${encodeURIComponent(uid)}`;

/** The login / consent steps of an OpenID Connect authorization (the provider's interaction). */
export const oidcApi = {
  details: (uid: string) => call<InteractionDetails>('GET', `${base(uid)}/details`),
  /** Completes the login step with the resident session (its CSRF token from /api/resident/session or the login). */
  login: (uid: string, residentCsrf: string | null) => call<Redirect>('POST', `${base(uid)}/login`, {}, residentCsrf),
  consent: (uid: string, scopes: string[]) => call<Redirect>('POST', `${base(uid)}/consent`, { scopes }),
  abort: (uid: string) => call<Redirect>('POST', `${base(uid)}/abort`, {}),
};

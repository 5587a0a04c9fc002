import { sendJson } from '../../api/api';
import type { Acr } from '../../api/resident';

export type { Acr };
export const ACR_CARD_PIN: Acr = 'urn:kazashi:acr:card-pin';

/** GET /oidc/interaction/:uid/details */
export interface InteractionDetails {
  prompt: 'login' | 'consent';
  client: { clientId: string; name: { ja: string; en: string }; municipalityCode: string; municipalityName: { ja: string; en: string } };
  /** Scopes requested and allowed for the service (openid first). */
  scopes: string[];
  /** Scopes not consented yet. */
  missingScopes: string[];
  acrRequested: Acr | null;
  /** The service asked for a login made now (prompt=login / max_age): an earlier session will not do. */
  freshLoginRequired: boolean;
  resident: { loggedIn: boolean; acr: Acr | null; municipalityCode: string | null };
}

function call<T>(method: 'GET' | 'POST', path: string, body?: unknown, csrf?: string | null): Promise<T> {
  return sendJson<T>(method, path, { body, csrf });
}

const base = (uid: string) => `/oidc/interaction/${encodeURIComponent(uid)}`;

/** The login / consent steps of an OpenID Connect authorization (the provider's interaction). */
export const oidcApi = {
  details: (uid: string) => call<InteractionDetails>('GET', `${base(uid)}/details`),
  /** Completes the login step with the resident session (its CSRF token from /api/resident/session or the login). */
  login: (uid: string, residentCsrf: string | null) => call<{ redirectTo: string }>('POST', `${base(uid)}/login`, {}, residentCsrf),
  consent: (uid: string, scopes: string[]) => call<{ redirectTo: string }>('POST', `${base(uid)}/consent`, { scopes }),
  abort: (uid: string) => call<{ redirectTo: string }>('POST', `${base(uid)}/abort`, {}),
};

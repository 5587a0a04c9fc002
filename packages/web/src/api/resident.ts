import { request, sendJson } from './api';
import type { Schema } from './contract';
import type { ConsentView } from './types';

/**
 * The resident side of the Kazashi API (domain `portal`): card login, the resident session and the
 * My page, plus the kiosk's registration calls (those run on the staff session, through api.ts).
 * The resident session has its own CSRF token, kept here (api.ts keeps the staff one).
 *
 * The shapes are aliases of the types generated from the server's OpenAPI document (named in
 * packages/server/src/{portal,registration,qr}/contract.ts): never written by hand here.
 */

export type Acr = Schema<'Acr'>;
export type ResidentSessionView = Schema<'ResidentSessionView'>;
/** The basic four as the vault holds them on My page (a missing field is null). */
export type ResidentProfile = Schema<'MyProfile'>;
export type ResidentMe = Schema<'MyPage'>;
export type ConsentInput = Schema<'ConsentInput'>;
export type ConsentExport = Schema<'ConsentExport'>;
export type AccessLogEntry = Schema<'AccessLogEntry'>;
export type QrToken = Schema<'QrTokenView'>;
/** A single-use challenge for one card touch (the resident's login, the kiosk's registration). */
export type Challenge = Schema<'ChallengeView'>;
/** A card touch: the challenge, the certificate and the signature over it (the purpose is added per call). */
export type TouchBody = Omit<Schema<'CardLoginRequest'>, 'purpose'>;
/** The kiosk's first registration, without the purpose (added by the call). */
export type RegistrationRequest = Omit<Schema<'RegistrationRequest'>, 'purpose'>;
export type RegistrationResult = Schema<'RegistrationResult'>;

type Method = 'GET' | 'POST';

let residentCsrf: string | null = null;
let unauthorized: (() => void) | null = null;

/** Called when a My page request answers 401 (the resident session ended or expired). */
export function setResidentUnauthorizedHandler(handler: (() => void) | null): void {
  unauthorized = handler;
}

/** Remembers the resident session's CSRF token (from login or GET /api/resident/session). */
export function setResidentCsrf(token: string | null): void {
  residentCsrf = token;
}

function residentRequest<T>(method: Method, path: string, body?: unknown, signal?: AbortSignal, expect401 = false): Promise<T> {
  return sendJson<T>(method, path, {
    body,
    signal,
    csrf: method !== 'GET' ? residentCsrf : null,
    onUnauthorized: expect401 ? undefined : () => unauthorized?.(),
  });
}

const enc = encodeURIComponent;

/** Resident (My page) API. Every call but the public ones needs the kazashi_resident cookie. */
export const residentApi = {
  challenge: (municipalityCode: string) =>
    residentRequest<Challenge>('POST', '/api/resident/challenges', { municipalityCode, purpose: 'login' } satisfies Schema<'ResidentChallengeRequest'>, undefined, true),
  async login(municipalityCode: string, touch: TouchBody): Promise<ResidentSessionView> {
    const body: Schema<'ResidentLoginRequest'> = { municipalityCode, purpose: 'login', ...touch };
    const s = await residentRequest<ResidentSessionView>('POST', '/api/resident/login', body, undefined, true);
    setResidentCsrf(s.csrfToken);
    return s;
  },
  async session(signal?: AbortSignal): Promise<ResidentSessionView> {
    const s = await residentRequest<ResidentSessionView>('GET', '/api/resident/session', undefined, signal, true);
    setResidentCsrf(s.csrfToken);
    return s;
  },
  async logout(): Promise<void> {
    await residentRequest<void>('POST', '/api/resident/logout', undefined, undefined, true);
    setResidentCsrf(null);
  },
  me: (signal?: AbortSignal) => residentRequest<ResidentMe>('GET', '/api/resident/me', undefined, signal),
  consents: (signal?: AbortSignal) => residentRequest<ConsentView[]>('GET', '/api/resident/me/consents', undefined, signal),
  giveConsent: (body: ConsentInput) => residentRequest<ConsentView>('POST', '/api/resident/me/consents', body),
  withdrawConsent: (id: string) => residentRequest<ConsentView>('POST', `/api/resident/me/consents/${enc(id)}/withdraw`),
  exportConsents: () => residentRequest<ConsentExport>('GET', '/api/resident/me/consents/export'),
  accessLog: (limit = 50, signal?: AbortSignal) =>
    residentRequest<AccessLogEntry[]>('GET', `/api/resident/me/access-log?limit=${limit}`, undefined, signal),
  qrToken: () => residentRequest<QrToken>('POST', '/api/resident/me/qr-token'),
  suspendCard: (reason: string) => residentRequest<unknown>('POST', '/api/resident/me/card/suspend', { reason } satisfies Schema<'MyCardSuspendRequest'>),
};

/** The kiosk's calls, on the staff session that logged the kiosk in (staff CSRF via api.ts). */
export const kioskApi = {
  challenge: (code: string) =>
    request<Challenge>('POST', `/api/municipalities/${enc(code)}/identity/challenges`, { body: { purpose: 'registration' } }),
  register: (code: string, body: RegistrationRequest) =>
    request<RegistrationResult>('POST', `/api/municipalities/${enc(code)}/registrations`, {
      body: { purpose: 'registration', ...body } satisfies Schema<'RegistrationRequest'>,
    }),
};

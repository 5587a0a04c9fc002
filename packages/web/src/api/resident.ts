import { request, sendJson } from './api';
import type { ConsentView } from './types';

/**
 * The resident side of the Kazashi API (domain `portal`): card login, the resident session and the
 * My page, plus the kiosk's registration calls (those run on the staff session, through api.ts).
 * The resident session has its own CSRF token, kept here (api.ts keeps the staff one).
 */

export type Acr = 'urn:kazashi:acr:card-pin' | 'urn:kazashi:acr:card-touch';

export interface ResidentSessionView {
  municipalityCode: string;
  municipalityName: { ja: string; en: string };
  residentId: string;
  residentNumber: string;
  globalId: string;
  acr: Acr | string;
  authTime: string;
  expiresAt: string;
  csrfToken: string;
}

export interface ResidentProfile {
  name: string;
  address: string;
  birthDate: string;
  sex: string;
}

export interface ResidentMe {
  session: Omit<ResidentSessionView, 'csrfToken'>;
  profile: ResidentProfile | null;
  services: { id: string; joined: boolean }[];
  cards: { status: string; boundAt: string; suspendedAt: string | null }[];
}

export interface ConsentInput {
  purpose: string;
  services?: string[];
  categories?: string[];
  recipients?: string[];
  termsVersion: string;
}

export interface ConsentExport {
  schema: string;
  exportedAt: string;
  subject: string;
  controller: string;
  records: ConsentView[];
}

export interface AccessLogEntry {
  id: string;
  at: string;
  seq: number | null;
  actorKind: 'staff' | 'resident' | 'service' | 'system' | string;
  actor: string;
  action: string;
  purpose: string | null;
  categories: string[];
  fields: string[];
}

export interface QrToken {
  token: string;
  expiresAt: string;
  refreshInSeconds: number;
}

export interface Challenge {
  challengeId: string;
  challenge: string;
  expiresAt: string;
}

export interface TouchBody {
  challengeId: string;
  certificate: string;
  signature: string;
}

export interface RegistrationRequest extends TouchBody {
  basicFour?: ResidentProfile;
  consents: ConsentInput[];
}

export interface RegistrationResult {
  residentId: string;
  residentNumber: string;
  globalId: string;
}

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
    residentRequest<Challenge>('POST', '/api/resident/challenges', { municipalityCode, purpose: 'login' }, undefined, true),
  async login(municipalityCode: string, touch: TouchBody): Promise<ResidentSessionView> {
    const s = await residentRequest<ResidentSessionView>('POST', '/api/resident/login', { municipalityCode, purpose: 'login', ...touch }, undefined, true);
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
  suspendCard: (reason: string) => residentRequest<unknown>('POST', '/api/resident/me/card/suspend', { reason }),
};

/** The kiosk's calls, on the staff session that logged the kiosk in (staff CSRF via api.ts). */
export const kioskApi = {
  challenge: (code: string) =>
    request<Challenge>('POST', `/api/municipalities/${enc(code)}/identity/challenges`, { body: { purpose: 'registration' } }),
  register: (code: string, body: RegistrationRequest) =>
    request<RegistrationResult>('POST', `/api/municipalities/${enc(code)}/registrations`, {
      body: { purpose: 'registration', ...body },
    }),
};

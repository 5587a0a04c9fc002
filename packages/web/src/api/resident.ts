import { ProblemError, request, type Problem } from './api';

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

/** ISO/IEC TS 27560-shaped consent record. */
export interface ConsentRecord {
  id: string;
  subject: string;
  controller: string;
  purpose: string;
  scope: { services: string[]; dataCategories: string[] };
  recipients: string[];
  givenAt: string;
  withdrawnAt: string | null;
  status: 'active' | 'withdrawn';
  termsVersion: string;
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
  records: ConsentRecord[];
}

export interface AccessLogEntry {
  at: string;
  seq: number;
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

async function residentRequest<T>(method: Method, path: string, body?: unknown, signal?: AbortSignal, expect401 = false): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && residentCsrf) headers['x-csrf-token'] = residentCsrf;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body), signal });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ProblemError(0, { title: 'Network error', code: 'network-error' });
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const problem: Problem = json && typeof json === 'object' ? (json as Problem) : { title: res.statusText || `HTTP ${res.status}` };
    if (res.status === 401 && !expect401) unauthorized?.();
    throw new ProblemError(res.status, problem);
  }
  return json as T;
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
  consents: (signal?: AbortSignal) => residentRequest<ConsentRecord[]>('GET', '/api/resident/me/consents', undefined, signal),
  giveConsent: (body: ConsentInput) => residentRequest<ConsentRecord>('POST', '/api/resident/me/consents', body),
  withdrawConsent: (id: string) => residentRequest<ConsentRecord>('POST', `/api/resident/me/consents/${enc(id)}/withdraw`),
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

import type {
  AuditQuery,
  AuditEntry,
  AuditVerifyResult,
  JointUseGroup,
  GroupMember,
  LoginRequest,
  Municipality,
  MunicipalityInput,
  MunicipalityPatch,
  PublicMunicipality,
  Service,
  Session,
  StaffAccount,
  StaffCreateRequest,
  StaffCreated,
  StaffPatch,
  VaultInfo,
  VaultMigrateRequest,
  VaultMigrateResult,
} from './types';

/** RFC 9457 problem details as returned by the Kazashi API. */
export interface ProblemFieldError {
  path: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  messages?: { ja?: string; en?: string };
  errors?: ProblemFieldError[];
}

/** Thrown by the API client for every non-2xx response (and for network failures, with status 0). */
export class ProblemError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem;

  constructor(status: number, problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ProblemError';
    this.status = status;
    this.code = problem.code ?? (status === 0 ? 'network-error' : `http-${status}`);
    this.problem = problem;
  }

  /** The message in the requested language, falling back to the title. */
  localizedMessage(lang: string): string | undefined {
    const key = lang.startsWith('en') ? 'en' : 'ja';
    return this.problem.messages?.[key] ?? this.problem.title ?? this.problem.detail;
  }

  get fieldErrors(): ProblemFieldError[] {
    return this.problem.errors ?? [];
  }
}

export function isProblemError(e: unknown): e is ProblemError {
  return e instanceof ProblemError;
}


type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

let csrfToken: string | null = null;
let unauthorizedHandler: (() => void) | null = null;

/** Remembers the CSRF token from the latest session/login response. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when an authenticated request answers 401 (session expired or logged out elsewhere). */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** Do not call the unauthorized handler for a 401 (login, session probe). */
  expect401?: boolean;
}

export interface SendJsonOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** Sent as the x-csrf-token header when set. */
  csrf?: string | null;
  /** Called on a 401 answer, before the ProblemError is thrown. */
  onUnauthorized?: () => void;
}

/**
 * One JSON request to the Kazashi server (same origin, with its cookies), shared by the staff, resident
 * and OpenID Connect interaction clients. Answers the parsed JSON body (undefined for 204 or an empty
 * body); throws a ProblemError for every non-2xx answer and for a network failure (status 0). An
 * aborted request rethrows the AbortError.
 */
export async function sendJson<T>(method: string, path: string, opts: SendJsonOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.csrf) headers['x-csrf-token'] = opts.csrf;

  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ProblemError(0, { title: 'Network error', code: 'network-error' });
  }

  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }

  if (!res.ok) {
    const problem: Problem =
      json && typeof json === 'object' ? (json as Problem) : { title: res.statusText || `HTTP ${res.status}` };
    if (res.status === 401) opts.onUnauthorized?.();
    throw new ProblemError(res.status, problem);
  }
  return json as T;
}

/** A staff API request: the staff CSRF token on writes; a 401 calls the unauthorized handler unless `expect401`. */
export function request<T>(method: Method, path: string, opts: RequestOptions = {}): Promise<T> {
  return sendJson<T>(method, path, {
    body: opts.body,
    signal: opts.signal,
    csrf: method !== 'GET' ? csrfToken : null,
    onUnauthorized: opts.expect401 ? undefined : () => unauthorizedHandler?.(),
  });
}

const enc = encodeURIComponent;

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const api = {
  // Session
  async session(signal?: AbortSignal): Promise<Session> {
    const s = await request<Session>('GET', '/api/session', { signal, expect401: true });
    setCsrfToken(s.csrfToken);
    return s;
  },
  async login(body: LoginRequest): Promise<Session> {
    const s = await request<Session>('POST', '/api/auth/login', { body, expect401: true });
    setCsrfToken(s.csrfToken);
    return s;
  },
  async logout(): Promise<void> {
    await request<void>('POST', '/api/auth/logout', { expect401: true });
    setCsrfToken(null);
  },

  // Public
  publicMunicipalities: (signal?: AbortSignal) =>
    request<PublicMunicipality[]>('GET', '/api/public/municipalities', { signal }),
  services: (signal?: AbortSignal) => request<Service[]>('GET', '/api/services', { signal }),

  // Municipalities
  municipalities: (signal?: AbortSignal) => request<Municipality[]>('GET', '/api/municipalities', { signal }),
  createMunicipality: (body: MunicipalityInput) => request<Municipality>('POST', '/api/municipalities', { body }),
  updateMunicipality: (code: string, body: MunicipalityPatch) =>
    request<Municipality>('PATCH', `/api/municipalities/${enc(code)}`, { body }),

  // Joint use
  groups: (signal?: AbortSignal) => request<JointUseGroup[]>('GET', '/api/joint-use-groups', { signal }),
  createGroup: (body: { nameJa: string; nameEn: string }) =>
    request<JointUseGroup>('POST', '/api/joint-use-groups', { body }),
  addMember: (groupId: string, body: { municipalityCode: string; services: string[] }) =>
    request<GroupMember>('POST', `/api/joint-use-groups/${enc(groupId)}/members`, { body }),
  setMemberServices: (groupId: string, code: string, services: string[]) =>
    request<GroupMember>('PUT', `/api/joint-use-groups/${enc(groupId)}/members/${enc(code)}/services`, {
      body: { services },
    }),

  // Staff
  staff: (code: string, signal?: AbortSignal) =>
    request<StaffAccount[]>('GET', `/api/municipalities/${enc(code)}/staff`, { signal }),
  createStaff: (code: string, body: StaffCreateRequest) =>
    request<StaffCreated>('POST', `/api/municipalities/${enc(code)}/staff`, { body }),
  updateStaff: (code: string, id: string, body: StaffPatch) =>
    request<StaffAccount>('PATCH', `/api/municipalities/${enc(code)}/staff/${enc(id)}`, { body }),
  unlockStaff: (code: string, id: string) =>
    request<StaffAccount>('POST', `/api/municipalities/${enc(code)}/staff/${enc(id)}/unlock`),

  // Vault
  vault: (code: string, signal?: AbortSignal) =>
    request<VaultInfo>('GET', `/api/municipalities/${enc(code)}/vault`, { signal }),
  migrateVault: (code: string, body: VaultMigrateRequest) =>
    request<VaultMigrateResult>('POST', `/api/municipalities/${enc(code)}/vault/migrate`, { body }),

  // Audit
  audit: (code: string, q: AuditQuery, signal?: AbortSignal) =>
    request<{ entries: AuditEntry[] }>(
      'GET',
      `/api/municipalities/${enc(code)}/audit${query({ ...q })}`,
      { signal },
    ),
  verifyAudit: (code: string, signal?: AbortSignal) =>
    request<AuditVerifyResult>('GET', `/api/municipalities/${enc(code)}/audit/verify`, { signal }),
};

// Setup helpers of the shelter operations suite: staff and resident API sessions made with fetch
// (cookies + CSRF), card touches signed by a VirtualMyNumberCard through the JPKI client.
import { authenticate, MemoryTransport, readBasicFour } from '@kazashi/jpki';
import type { VirtualMyNumberCard } from '@kazashi/jpki/virtual';
import { totpCode } from './server';
import { demoSecret, type StaffLogins } from './staff';

export const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

export type Call = <T>(method: string, url: string, body?: unknown) => Promise<T>;

/** A tiny cookie jar + JSON caller; throws with the body on a non-2xx answer. */
function client(baseUrl: string, jar: Map<string, string>, csrf: () => string): Call {
  return async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = {};
    if (jar.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    if (csrf()) headers['x-csrf-token'] = csrf();
    if (body !== undefined) headers['content-type'] = 'application/json';
    const r = await fetch(`${baseUrl}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      jar.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${url} → ${r.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

/** Logs a demo staff account in through the API (each account once per server: TOTP is single-use per step). */
export async function staffApi(s: StaffLogins, loginName: string): Promise<Call> {
  const jar = new Map<string, string>();
  let token = '';
  const call = client(s.baseUrl, jar, () => token);
  const res = await call<{ csrfToken: string }>('POST', '/api/auth/login', { loginName, password: s.password, totp: totpCode(demoSecret(s, loginName)) });
  token = res.csrfToken;
  return call;
}

/** The card's signature over a server challenge, with its auth PIN (as the card agent would send it). */
export async function sign(card: VirtualMyNumberCard, challenge: string, pin: string) {
  const { certificate, signature } = await authenticate(new MemoryTransport(card), Buffer.from(challenge, 'base64url'), pin);
  return { certificate: b64(certificate), signature: b64(signature) };
}

export const certificateOf = async (card: VirtualMyNumberCard, pin: string) => (await sign(card, Buffer.alloc(32).toString('base64url'), pin)).certificate;

/** First registration at the counter: staff challenge, card + PIN, basic four read with the card-info PIN. */
export async function registerResident(staff: Call, code: string, card: VirtualMyNumberCard, pins: { auth: string; cardInfo: string }, recipients: string[]) {
  const c = await staff<{ challengeId: string; challenge: string }>('POST', `/api/municipalities/${code}/identity/challenges`, { purpose: 'registration' });
  const { basicFour } = await readBasicFour(new MemoryTransport(card), pins.cardInfo);
  return staff<{ residentId: string; residentNumber: string }>('POST', `/api/municipalities/${code}/registrations`, {
    challengeId: c.challengeId, purpose: 'registration', ...(await sign(card, c.challenge, pins.auth)), basicFour,
    consents: [{ purpose: 'shelter pre-registration', services: ['shelter'], categories: ['basic', 'health'], recipients, termsVersion: '2026-04' }],
  });
}

/** A resident portal session made with the card and PIN (challenge bound to this cookie jar). */
export async function residentApi(baseUrl: string, code: string, card: VirtualMyNumberCard, pin: string): Promise<{ call: Call; cookie: string }> {
  const jar = new Map<string, string>();
  let token = '';
  const call = client(baseUrl, jar, () => token);
  const c = await call<{ challengeId: string; challenge: string }>('POST', '/api/resident/challenges', { municipalityCode: code, purpose: 'login' });
  const res = await call<{ csrfToken: string }>('POST', '/api/resident/login', { municipalityCode: code, challengeId: c.challengeId, purpose: 'login', ...(await sign(card, c.challenge, pin)) });
  token = res.csrfToken;
  const cookie = jar.get('kazashi_resident');
  if (!cookie) throw new Error('no kazashi_resident cookie after the resident login');
  return { call, cookie };
}

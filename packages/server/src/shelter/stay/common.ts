// What the stay parts share: who is acting at the kiosk, and the rules every write applies.
import type { Counter } from '../../identity/index.js';
import type { StaffPrincipal } from '../../kernel/callers.js';
import { ShelterErrors } from '../errors.js';

/** The kiosk flow name a municipality lists among its touch-only flows to allow check-in without a PIN. */
export const SHELTER_CHECK_IN_FLOW = 'shelter-check-in';
/** How far back an offline kiosk's recorded time may go. */
const MAX_OFFLINE_AGE_MS = 7 * 24 * 3600_000;

export interface StaffCaller {
  staff: StaffPrincipal;
  /** The staff session token (binds PIN challenges to the kiosk's session). */
  sessionToken: string;
  requestId: string;
}

export const actorOf = (c: StaffCaller) => `staff:${c.staff.loginName}`;
export const counterOf = (c: StaffCaller): Counter => ({ actor: actorOf(c), staff: c.staff, sessionToken: c.sessionToken, requestId: c.requestId });

/** A stay's own idempotency key: the request's key and the person (one request checks in a household). */
export const stayKey = (key: string, evacueeId: string) => `${key}:${evacueeId}`;

/** When a check-in or movement happened: now, or the time an offline kiosk recorded (within a week, not ahead). */
export function recordedAt(at: string | undefined, now = Date.now()): Date {
  if (!at) return new Date(now);
  const d = new Date(at);
  if (Number.isNaN(d.getTime()) || d.getTime() > now + 5 * 60_000 || d.getTime() < now - MAX_OFFLINE_AGE_MS) {
    throw ShelterErrors['recorded-time-invalid']({ at });
  }
  return d;
}

export const placeJa = (p: string) => ({ home: '在宅', car: '車中', tent: 'テント', other: 'その他', shelter: '避難所' } as Record<string, string>)[p] ?? p;

/** Text compared for a roster search: full-width and half-width alike, no spaces, any case. */
export const normalise = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

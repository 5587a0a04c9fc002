import { useEffect, useSyncExternalStore } from 'react';
import { isProblemError } from '../api/api';
import { residentApi, type ResidentSessionView } from '../api/resident';
import type { CardTouchProps } from '../cardAgent';

/** Whether a resident is logged in on this browser, as far as this tab knows. */
export type ResidentAuthState =
  | { status: 'unknown' }
  | { status: 'checking' }
  | { status: 'signed-in'; session: ResidentSessionView }
  | { status: 'signed-out'; reason?: 'logout' | 'expired' | 'suspended' }
  | { status: 'error'; error: unknown };

let state: ResidentAuthState = { status: 'unknown' };
const listeners = new Set<() => void>();

function set(next: ResidentAuthState): void {
  state = next;
  listeners.forEach((l) => l());
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The resident session (GET /api/resident/session once per page load, then login/logout/401). */
export function useResidentAuth(): ResidentAuthState {
  const current = useSyncExternalStore(subscribe, () => state);
  useEffect(() => {
    if (current.status === 'unknown') checkResidentSession();
  }, [current.status]);
  return current;
}

export function checkResidentSession(): void {
  if (state.status === 'checking') return;
  const checking: ResidentAuthState = { status: 'checking' };
  set(checking);
  const settle = (next: ResidentAuthState) => {
    if (state === checking) set(next);
  };
  residentApi.session().then(
    (session) => settle({ status: 'signed-in', session }),
    (e: unknown) => settle(isProblemError(e) && e.status === 401 ? { status: 'signed-out' } : { status: 'error', error: e }),
  );
}

export function residentSignedIn(session: ResidentSessionView): void {
  set({ status: 'signed-in', session });
}

export function residentSignedOut(reason?: 'logout' | 'expired' | 'suspended'): void {
  set({ status: 'signed-out', reason });
}

/**
 * A resident's card login at `municipalityCode`, as <CardTouch>'s two callbacks: a fresh challenge
 * (POST /api/resident/challenges), then the signed challenge to POST /api/resident/login; the new
 * session goes to `onLoggedIn` (what throws there is shown above the PIN field).
 *
 * ```tsx
 * <CardTouch key={code} {...residentCardLogin(code, (session) => …)} submitLabel={…} />
 * ```
 */
export function residentCardLogin(
  municipalityCode: string,
  onLoggedIn: (session: ResidentSessionView) => Promise<void> | void,
): Pick<CardTouchProps, 'getChallenge' | 'onAuthenticated'> {
  return {
    getChallenge: () => residentApi.challenge(municipalityCode),
    onAuthenticated: async (result) => onLoggedIn(await residentApi.login(municipalityCode, result)),
  };
}

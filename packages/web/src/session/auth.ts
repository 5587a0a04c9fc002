import { useEffect, useSyncExternalStore } from 'react';
import { api, isProblemError } from '../api/api';
import { signedInStaff, type Session, type SignedInStaff } from '../api/types';

/** Whether someone is signed in, as far as this tab knows. */
export type AuthState =
  | { status: 'unknown' }
  | { status: 'checking' }
  | { status: 'signed-in'; staff: SignedInStaff }
  | { status: 'signed-out' }
  | { status: 'error'; error: unknown };

let state: AuthState = { status: 'unknown' };
const listeners = new Set<() => void>();

function set(next: AuthState): void {
  state = next;
  listeners.forEach((l) => l());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The session state shared by the header and the admin area. The first component that reads it
 * asks the server; after that it follows login, logout and 401 answers (one GET /api/session per page load).
 */
export function useAuth(): AuthState {
  const current = useSyncExternalStore(subscribe, () => state);
  useEffect(() => {
    if (current.status === 'unknown') checkSession();
  }, [current.status]);
  return current;
}

/** Asks the server (GET /api/session); a call while one is already under way does nothing. */
export function checkSession(): void {
  if (state.status === 'checking') return;
  const checking: AuthState = { status: 'checking' };
  set(checking);
  // A login or logout that happens meanwhile wins over this answer.
  const settle = (next: AuthState) => {
    if (state === checking) set(next);
  };
  api.session().then(
    (s) => settle({ status: 'signed-in', staff: signedInStaff(s) }),
    (e: unknown) => settle(isProblemError(e) && e.status === 401 ? { status: 'signed-out' } : { status: 'error', error: e }),
  );
}

/** After a successful login. */
export function signedIn(session: Session): void {
  set({ status: 'signed-in', staff: signedInStaff(session) });
}

/** After logout, or when the server answers 401 (session expired or ended elsewhere). */
export function signedOut(): void {
  set({ status: 'signed-out' });
}

import { isProblemError, sendJson } from '../../api/api';
import type {
  OutsideStayInput,
  PreRegistration,
  SafetySearchRequest,
  SafetySearchResult,
  StayView,
} from '../../api/shelterTypes';

/**
 * The resident portal's shelter calls (GET/PUT/POST/DELETE under /api/resident/me). api/resident.ts
 * only speaks GET and POST, so these go through sendJson with the resident session's CSRF token
 * (the one GET /api/resident/session answered) and the same "401 → signed out" handling.
 */
export interface MyShelterClientOptions {
  csrf: string;
  onUnauthorized: () => void;
}

export function myShelterApi({ csrf, onUnauthorized }: MyShelterClientOptions) {
  const call = <T>(method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, body?: unknown, signal?: AbortSignal) =>
    sendJson<T>(method, path, { body, signal, csrf: method === 'GET' ? null : csrf, onUnauthorized });

  return {
    /** The household's pre-registration; null when there is none yet (404 pre-registration-not-found). */
    async registration(signal?: AbortSignal): Promise<PreRegistration | null> {
      try {
        return await call<PreRegistration>('GET', '/api/resident/me/shelter-registration', undefined, signal);
      } catch (e) {
        if (isProblemError(e) && e.status === 404) return null;
        throw e;
      }
    },
    saveRegistration: (body: PreRegistration) => call<PreRegistration>('PUT', '/api/resident/me/shelter-registration', body),

    /** The current report of staying outside a shelter; null when there is none (404). */
    async outsideStay(signal?: AbortSignal): Promise<StayView | null> {
      try {
        return await call<StayView>('GET', '/api/resident/me/outside-stay', undefined, signal);
      } catch (e) {
        if (isProblemError(e) && e.status === 404) return null;
        throw e;
      }
    },
    reportOutsideStay: (body: OutsideStayInput) => call<StayView>('POST', '/api/resident/me/outside-stay', body),
    /** Ends the report (moved to a shelter, or went home for good). A 404 means it has already ended. */
    async endOutsideStay(): Promise<void> {
      try {
        await call<unknown>('DELETE', '/api/resident/me/outside-stay');
      } catch (e) {
        if (isProblemError(e) && e.status === 404) return;
        throw e;
      }
    },

    safetySearch: (body: SafetySearchRequest) => call<SafetySearchResult>('POST', '/api/resident/me/safety-search', body),
  };
}

export type MyShelterApi = ReturnType<typeof myShelterApi>;

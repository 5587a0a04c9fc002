import { request } from '../../api/api';
import type {
  CheckInRequest,
  CheckInResult,
  MovementRequest,
  MovementView,
  Need,
  RosterEntry,
  ShelterView,
  StayView,
  TouchResult,
} from '../../api/shelterTypes';

const enc = encodeURIComponent;
const base = (code: string) => `/api/municipalities/${enc(code)}`;

export const NEEDS: Need[] = ['allergy', 'medication', 'care', 'disability', 'pregnancy', 'infant', 'pet'];

/** Open shelters first (they are the ones a kiosk serves), then by name. */
export function sortShelters(list: ShelterView[]): ShelterView[] {
  const rank = (s: ShelterView) => (s.status === 'closed' ? 1 : 0);
  return [...list].sort((a, b) => rank(a) - rank(b) || a.nameKana.localeCompare(b.nameKana, 'ja'));
}

export const checkInPath = (code: string, shelterId: string) => `${base(code)}/shelters/${enc(shelterId)}/stays`;
export const movementPath = (code: string, stayId: string) => `${base(code)}/stays/${enc(stayId)}/movements`;

export const shelterApi = {
  shelters: (code: string, signal?: AbortSignal) => request<ShelterView[]>('GET', `${base(code)}/shelters`, { signal }),
  challenge: (code: string) =>
    request<{ challengeId: string; challenge: string }>('POST', `${base(code)}/identity/challenges`, {
      body: { purpose: 'shelter-check-in' },
    }),
  touch: (code: string, shelterId: string, body: { certificate: string; challengeId?: string; signature?: string }) =>
    request<TouchResult>('POST', `${base(code)}/shelters/${enc(shelterId)}/touch`, { body }),
  checkIn: (code: string, shelterId: string, body: CheckInRequest) =>
    request<CheckInResult>('POST', checkInPath(code, shelterId), { body }),
  move: (code: string, stayId: string, body: MovementRequest) =>
    request<StayView>('POST', movementPath(code, stayId), { body }),
  roster: (code: string, shelterId: string, params: { q?: string; status?: string; need?: string }, signal?: AbortSignal) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
    const s = q.toString();
    return request<RosterEntry[]>('GET', `${base(code)}/shelters/${enc(shelterId)}/roster${s ? `?${s}` : ''}`, { signal });
  },
  rosterCsvUrl: (code: string, shelterId: string) => `${base(code)}/shelters/${enc(shelterId)}/roster.csv`,
  movements: (code: string, stayId: string, signal?: AbortSignal) =>
    request<MovementView[]>('GET', `${base(code)}/stays/${enc(stayId)}/movements`, { signal }),
};

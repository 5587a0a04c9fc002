import { request } from '../../api/api';
import type {
  DisasterKind,
  DisasterView,
  HqOverview,
  ShelterKind,
  ShelterStatus,
  ShelterView,
} from '../../api/shelterTypes';

/** POST /api/municipalities/:code/disasters */
export interface DisasterInput {
  kind: DisasterKind;
  nameJa: string;
  nameEn: string;
  area: string;
}

/** PATCH /api/municipalities/:code/shelters/:shelterId: the fields the registry screen edits. */
export interface ShelterPatch {
  kind?: ShelterKind;
  capacity?: number | null;
  capacityNight?: number | null;
  nationalId?: string | null;
}

const enc = encodeURIComponent;
const base = (code: string) => `/api/municipalities/${enc(code)}`;

/** Staff API of the HQ and the registry (see /openapi.json, tag shelter). */
export const hqApi = {
  overview: (code: string, signal?: AbortSignal) => request<HqOverview>('GET', `${base(code)}/hq/overview`, { signal }),
  /** The Server-Sent Events stream of live changes (an EventSource URL; cookies go with it, same origin). */
  eventsUrl: (code: string) => `${base(code)}/hq/events`,
  disasters: (code: string, signal?: AbortSignal) => request<DisasterView[]>('GET', `${base(code)}/disasters`, { signal }),
  declareDisaster: (code: string, body: DisasterInput) => request<DisasterView>('POST', `${base(code)}/disasters`, { body }),
  endDisaster: (code: string, disasterId: string) =>
    request<DisasterView>('POST', `${base(code)}/disasters/${enc(disasterId)}/end`),
  shelters: (code: string, signal?: AbortSignal) => request<ShelterView[]>('GET', `${base(code)}/shelters`, { signal }),
  setStatus: (code: string, shelterId: string, body: { status: ShelterStatus; disasterId?: string }) =>
    request<ShelterView>('PUT', `${base(code)}/shelters/${enc(shelterId)}/status`, { body }),
  updateShelter: (code: string, shelterId: string, body: ShelterPatch) =>
    request<ShelterView>('PATCH', `${base(code)}/shelters/${enc(shelterId)}`, { body }),
  /** The public open-data CSV (no login). */
  csvUrl: (code: string) => `${base(code)}/shelters.csv`,
};

/** Whether the staff member may declare disasters and open or close shelters (shelter:command), as the server decides. */
export function canCommand(staff: { permissions: string[]; municipalityCode: string }, code: string): boolean {
  return staff.municipalityCode === code && staff.permissions.includes('shelter:command');
}

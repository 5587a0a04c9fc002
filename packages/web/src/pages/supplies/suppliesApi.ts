import { request } from '../../api/api';
import type { SupplyEstimate, SupplyItem, SupplyOrderStatus, SupplyRequestView } from '../../api/shelterTypes';

/** What a shelter sends when it asks for supplies; idempotencyKey makes a retried send harmless. */
export interface SupplyRequestInput {
  idempotencyKey: string;
  itemCode: string;
  needed: number;
  inStock: number;
  stockStatus: 'ok' | 'short';
  note?: string;
}

const enc = encodeURIComponent;

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const suppliesApi = {
  catalogue: (signal?: AbortSignal) => request<SupplyItem[]>('GET', '/api/shelter-supplies/catalogue', { signal }),
  createRequest: (code: string, shelterId: string, body: SupplyRequestInput) =>
    request<SupplyRequestView>('POST', `/api/municipalities/${enc(code)}/shelters/${enc(shelterId)}/supply-requests`, { body }),
  requests: (code: string, filter: { status?: SupplyOrderStatus; shelterId?: string }, signal?: AbortSignal) =>
    request<SupplyRequestView[]>('GET', `/api/municipalities/${enc(code)}/supply-requests${query(filter)}`, { signal }),
  setStatus: (code: string, requestId: string, status: SupplyOrderStatus) =>
    request<SupplyRequestView>('PATCH', `/api/municipalities/${enc(code)}/supply-requests/${enc(requestId)}`, { body: { status } }),
  estimate: (code: string, days: number, signal?: AbortSignal) =>
    request<SupplyEstimate>('GET', `/api/municipalities/${enc(code)}/supplies/estimate${query({ days })}`, { signal }),
};

import { request } from '../../api/api';
import type { paths } from '../../api/generated/openapi';
import type { SupplyEstimate, SupplyItem, SupplyOrderStatus, SupplyRequestView } from '../../api/shelterTypes';

/**
 * What a shelter sends when it asks for supplies; idempotencyKey makes a retried send harmless. The
 * shelter contract does not name this body, so it is the route's request body in the generated document.
 */
export type SupplyRequestInput = NonNullable<
  paths['/api/municipalities/{code}/shelters/{shelterId}/supply-requests']['post']['requestBody']
>['content']['application/json'];

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

import { request } from '../../../api/api';
import type { Schema } from '../../../api/contract';

/** The kiosk flows a municipality lets residents use with a card touch alone (no PIN). */
export type TouchOnlyFlows = Schema<'TouchOnlyFlows'>;

const path = (code: string) => `/api/municipalities/${encodeURIComponent(code)}/touch-only-flows`;

export const touchOnlyApi = {
  get: (code: string, signal?: AbortSignal) => request<TouchOnlyFlows>('GET', path(code), { signal }),
  put: (code: string, flows: string[]) => request<TouchOnlyFlows>('PUT', path(code), { body: { flows } }),
};

/** Flows offered as checkboxes; a flow the server returns that is not listed here is still shown and kept. */
export const KNOWN_FLOWS = ['shelter-reentry', 'portal-view'] as const;
export type KnownFlow = (typeof KNOWN_FLOWS)[number];
export const isKnownFlow = (f: string): f is KnownFlow => (KNOWN_FLOWS as readonly string[]).includes(f);

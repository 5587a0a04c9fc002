import { request } from '../../api/api';
import type { Schema } from '../../api/contract';
import type { Challenge, TouchBody as CardTouch } from '../../api/resident';
import type { ConsentView } from '../../api/types';

/**
 * Shapes of the staff counter API (see /openapi.json: tags resident, identity, registration, qr):
 * aliases of the types generated from the server's OpenAPI document.
 */

export type ResidentView = Schema<'ResidentView'>;
export type QrCardIssued = Schema<'QrCardView'>;
export type QrCardRevoked = Schema<'QrCardRevoked'>;
export type QrValidation = Schema<'QrValidation'>;
// The card touch's shapes are the resident API's (api/resident.ts).
export type { Challenge, CardTouch };
export type CardLoginResult = Schema<'CardLoginResult'>;

export type CardStatus = Schema<'CardStatus'>;
export type CardBinding = Schema<'CardBindingView'>;

const enc = encodeURIComponent;
const base = (code: string) => `/api/municipalities/${enc(code)}`;

export const counterApi = {
  residentByNumber: (code: string, number: string, signal?: AbortSignal) =>
    request<ResidentView>('GET', `${base(code)}/residents/by-number/${enc(number)}`, { signal }),
  cards: (code: string, residentId: string, signal?: AbortSignal) =>
    request<CardBinding[]>('GET', `${base(code)}/residents/${enc(residentId)}/cards`, { signal }),
  suspendCard: (code: string, residentId: string, reason: string) =>
    request<CardBinding>('POST', `${base(code)}/residents/${enc(residentId)}/cards/suspend`, { body: { reason } }),
  rebindCard: (code: string, residentId: string, touch: CardTouch) =>
    request<CardBinding>('POST', `${base(code)}/residents/${enc(residentId)}/cards/rebind`, {
      body: { ...touch, purpose: 'card-renewal' },
    }),
  consents: (code: string, residentId: string, signal?: AbortSignal) =>
    request<ConsentView[]>('GET', `${base(code)}/residents/${enc(residentId)}/consents`, { signal }),
  withdrawConsent: (code: string, residentId: string, consentId: string) =>
    request<ConsentView>('POST', `${base(code)}/residents/${enc(residentId)}/consents/${enc(consentId)}/withdraw`),
  issueQrCard: (code: string, residentId: string) =>
    request<QrCardIssued>('POST', `${base(code)}/residents/${enc(residentId)}/qr-cards`),
  revokeQrCard: (code: string, cardId: string) =>
    request<QrCardRevoked>('POST', `${base(code)}/qr-cards/${enc(cardId)}/revoke`),
  validateQr: (code: string, token: string) =>
    request<QrValidation>('POST', `${base(code)}/qr/validate`, { body: { token } satisfies Schema<'QrValidateRequest'> }),
  challenge: (code: string, purpose: 'login' | 'card-renewal') =>
    request<Challenge>('POST', `${base(code)}/identity/challenges`, { body: { purpose } }),
  cardLogin: (code: string, touch: CardTouch) =>
    request<CardLoginResult>('POST', `${base(code)}/card-logins`, { body: { ...touch, purpose: 'login' } satisfies Schema<'CardLoginRequest'> }),
};

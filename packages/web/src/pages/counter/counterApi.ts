import { request } from '../../api/api';
import type { ConsentView } from '../../api/types';

/** Shapes of the staff counter API (see /openapi.json: tags resident, identity, registration, qr). */

export interface ResidentView {
  id: string;
  municipalityCode: string;
  residentNumber: string | null;
  /** `<municipality code>-<resident number>`. */
  globalId: string | null;
  categories: string[];
  status: string;
  createdAt: string;
}

export type CardStatus = 'active' | 'suspended' | 'replaced';

export interface CardBinding {
  id: string;
  cardKey: string;
  residentId: string;
  status: CardStatus;
  boundAt: string;
  suspendedAt: string | null;
  endedAt: string | null;
  replacedBy: string | null;
}

export interface QrCardIssued {
  cardId: string;
  token: string;
}

export interface QrCardRevoked {
  cardId: string;
  revokedAt: string;
}

export interface QrValidation {
  residentId: string;
  residentNumber: string;
  kind: 'rotating' | 'card';
}

export interface Challenge {
  challengeId: string;
  /** 32 random bytes, base64url. */
  challenge: string;
  expiresAt: string;
}

/** A verified card touch: the certificate and the signature over the challenge (base64). */
export interface CardTouch {
  challengeId: string;
  certificate: string;
  signature: string;
}

export interface CardLoginResult {
  residentId: string;
  residentNumber: string;
  globalId: string;
  acr: string;
}

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
    request<QrValidation>('POST', `${base(code)}/qr/validate`, { body: { token } }),
  challenge: (code: string, purpose: 'login' | 'card-renewal') =>
    request<Challenge>('POST', `${base(code)}/identity/challenges`, { body: { purpose } }),
  cardLogin: (code: string, touch: CardTouch) =>
    request<CardLoginResult>('POST', `${base(code)}/card-logins`, { body: { ...touch, purpose: 'login' } }),
};

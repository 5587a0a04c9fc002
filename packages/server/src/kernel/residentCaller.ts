import type { FastifyRequest } from 'fastify';
import { HttpErrors } from './errors.js';

/** The resident session cookie (httpOnly, SameSite=Strict, path /). */
export const RESIDENT_COOKIE = 'kazashi_resident';

/** Authentication context class references: how the resident proved themselves for this session. */
export const ACR = {
  /** Card touch + auth PIN: a signature over a fresh challenge. */
  cardPin: 'urn:kazashi:acr:card-pin',
  /** Touch only (certificate read, no PIN), on kiosk flows the municipality marked touch-only. Weaker. */
  cardTouch: 'urn:kazashi:acr:card-touch',
} as const;
export type Acr = (typeof ACR)[keyof typeof ACR];

/** The logged-in resident of a request, set by the resident session guard. */
export interface ResidentPrincipal {
  sessionId: string;
  municipalityCode: string;
  residentId: string;
  residentNumber: string;
  acr: Acr;
  channel: string;
  authTime: Date;
  expiresAt: Date;
  csrfToken: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    resident?: ResidentPrincipal;
  }
}

export function residentOf(req: FastifyRequest): ResidentPrincipal {
  if (!req.resident) throw HttpErrors.unauthenticated();
  return req.resident;
}

import { timingSafeEqual } from 'node:crypto';
import '@fastify/cookie';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { HttpErrors } from '../errors.js';
import type { StaffPrincipal } from '../staff/principal.js';
import type { StaffService } from '../staff/service.js';

export const SESSION_COOKIE = 'kazashi_session';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    staff?: StaffPrincipal;
    csrfToken?: string;
  }
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function same(a: string, b: string) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** For unsafe methods (not GET, HEAD, OPTIONS): the request must carry the session's CSRF token, compared in constant time. */
export function requireCsrf(req: FastifyRequest, csrfToken: string): void {
  if (SAFE.has(req.method)) return;
  const sent = req.headers[CSRF_HEADER];
  if (typeof sent !== 'string' || !same(sent, csrfToken)) throw HttpErrors['csrf-failed']();
}

/** preHandler for staff routes: a valid session cookie, and for unsafe methods the session's CSRF token. */
export function staffGuard(staff: StaffService): preHandlerAsyncHookHandler {
  return async function guard(req: FastifyRequest, reply: FastifyReply) {
    const token = req.cookies[SESSION_COOKIE];
    if (!token) throw HttpErrors.unauthenticated();
    const session = await staff.authenticate(token);
    if (!session) {
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      throw HttpErrors['session-expired']();
    }
    requireCsrf(req, session.csrfToken);
    req.staff = session.staff;
    req.csrfToken = session.csrfToken;
  };
}

export function principal(req: FastifyRequest): StaffPrincipal {
  if (!req.staff) throw HttpErrors.unauthenticated();
  return req.staff;
}

import { timingSafeEqual } from 'node:crypto';
import '@fastify/cookie';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { HttpErrors } from '../errors.js';
import type { StaffPrincipal } from '../callers.js';

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

/** What a staff session lookup answers (the staff module's authenticate). */
export interface StaffSessionLookup {
  csrfToken: string;
  expiresAt: Date;
  staff: StaffPrincipal;
  /** The session's expiry was just extended: the cookie must follow. */
  extended?: boolean;
}

/**
 * The staff session cookie: it expires with the server-side session (sliding, so it is set again
 * whenever the session is extended), never outlives it in the browser.
 */
export function setStaffSessionCookie(reply: FastifyReply, token: string, expiresAt: Date, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'strict', secure, expires: expiresAt });
}

/** preHandler for staff routes: a valid session cookie, and for unsafe methods the session's CSRF token. */
export function staffGuard(authenticate: (token: string) => Promise<StaffSessionLookup | undefined>, opts: { cookieSecure: boolean }): preHandlerAsyncHookHandler {
  return async function guard(req: FastifyRequest, reply: FastifyReply) {
    const token = req.cookies[SESSION_COOKIE];
    if (!token) throw HttpErrors.unauthenticated();
    const session = await authenticate(token);
    if (!session) {
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      throw HttpErrors['session-expired']();
    }
    requireCsrf(req, session.csrfToken);
    if (session.extended) setStaffSessionCookie(reply, token, session.expiresAt, opts.cookieSecure);
    req.staff = session.staff;
    req.csrfToken = session.csrfToken;
  };
}

export function principal(req: FastifyRequest): StaffPrincipal {
  if (!req.staff) throw HttpErrors.unauthenticated();
  return req.staff;
}

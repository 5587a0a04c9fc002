import '@fastify/cookie';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { requireCsrf } from '../kernel/http/auth.js';
import { HttpErrors } from '../kernel/errors.js';
import { RESIDENT_COOKIE } from '../kernel/residentCaller.js';
import type { ResidentSessionService } from './sessionService.js';

export { RESIDENT_COOKIE };

/** The pre-login cookie that binds card-touch challenges to this browser (path /api/resident). */
export const TOUCH_COOKIE = 'kazashi_touch';
export const TOUCH_COOKIE_PATH = '/api/resident';

/** preHandler for the resident's own routes: a live resident session cookie, and for unsafe methods its CSRF token. */
export function residentGuard(sessions: ResidentSessionService): preHandlerAsyncHookHandler {
  return async function guard(req: FastifyRequest, reply: FastifyReply) {
    const token = req.cookies[RESIDENT_COOKIE];
    if (!token) throw HttpErrors.unauthenticated();
    const session = await sessions.authenticate(token);
    if (!session) {
      reply.clearCookie(RESIDENT_COOKIE, { path: '/' });
      throw HttpErrors['session-expired']();
    }
    requireCsrf(req, session.csrfToken);
    req.resident = session;
  };
}

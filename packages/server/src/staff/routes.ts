import type { preHandlerAsyncHookHandler } from 'fastify';
import { CSRF_HEADER, principal, SESSION_COOKIE, setStaffSessionCookie } from '../kernel/http/auth.js';
import { MunicipalityCode, Strict, Type, Uuid, type App } from '../kernel/http/contract.js';
import { staffErrors, staffSecurity } from '../kernel/http/schemas.js';
import { StaffAccount, StaffCreated, StaffCreateRequest, StaffLoginRequest, StaffPatch, StaffSessionView } from './contract.js';
import type { StaffService } from './service.js';
import { permissionsOf, type StaffPrincipal } from '../kernel/callers.js';
import { navigationFor } from '../kernel/navigation.js';

const code = MunicipalityCode;
const codeParams = Strict({ code });
const staffParams = Strict({ code, id: Uuid });

/** Who is signed in, what they may do and the menu that opens. */
function access(staff: StaffPrincipal) {
  const permissions = permissionsOf(staff);
  return { staff, permissions, navigation: navigationFor(permissions) };
}

export function staffRoutes(app: App, deps: { staff: StaffService; guard: preHandlerAsyncHookHandler; cookieSecure: boolean; loginRateLimit: number }) {
  const { staff: svc, guard } = deps;
  const tags = ['staff'];

  app.post('/api/auth/login', {
    config: { rateLimit: { max: deps.loginRateLimit, timeWindow: '1 minute' } },
    schema: {
      tags, summary: 'Staff login with password and TOTP; sets an httpOnly session cookie',
      body: StaffLoginRequest,
      response: { 200: StaffSessionView, 400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' }, 423: { $ref: 'Problem#' }, 429: { $ref: 'Problem#' } },
    },
  }, async (req, reply) => {
    const session = await svc.login(req.body, req.id);
    setStaffSessionCookie(reply, session.token, session.expiresAt, deps.cookieSecure);
    return { ...access(session.staff), csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() };
  });

  app.get('/api/session', {
    preHandler: guard, schema: { tags, summary: 'The current staff session and its CSRF token', security: staffSecurity, response: { 200: StaffSessionView, 401: { $ref: 'Problem#' } } },
  }, async (req) => ({ ...access(principal(req)), csrfToken: req.csrfToken! }));

  app.post('/api/auth/logout', {
    preHandler: guard, schema: { tags, summary: `Log out (needs the ${CSRF_HEADER} header)`, security: staffSecurity, response: { 204: { description: 'Logged out', type: 'null' }, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' } } },
  }, async (req, reply) => {
    await svc.logout(req.cookies[SESSION_COOKIE]!, principal(req).municipalityCode);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.get('/api/municipalities/:code/staff', {
    preHandler: guard, schema: { tags, summary: 'Staff accounts of a municipality', security: staffSecurity, params: codeParams, response: { 200: Type.Array(StaffAccount), ...staffErrors } },
  }, async (req) => svc.list(principal(req), req.params.code));

  app.post('/api/municipalities/:code/staff', {
    preHandler: guard,
    schema: {
      tags, summary: 'Create a staff account; returns its TOTP secret once', security: staffSecurity, params: codeParams,
      body: StaffCreateRequest,
      response: { 201: StaffCreated, ...staffErrors },
    },
  }, async (req, reply) => reply.code(201).send(await svc.create(principal(req), req.params.code, req.body)));

  app.patch('/api/municipalities/:code/staff/:id', {
    preHandler: guard,
    schema: {
      tags, summary: 'Edit a staff account', security: staffSecurity, params: staffParams,
      body: StaffPatch,
      response: { 200: StaffAccount, ...staffErrors },
    },
  }, async (req) => svc.update(principal(req), req.params.code, req.params.id, req.body));

  app.post('/api/municipalities/:code/staff/:id/unlock', {
    preHandler: guard, schema: { tags, summary: 'Unlock a locked account', security: staffSecurity, params: staffParams, response: { 200: StaffAccount, ...staffErrors } },
  }, async (req) => svc.unlock(principal(req), req.params.code, req.params.id));
}

import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import { CSRF_HEADER, principal, SESSION_COOKIE, setStaffSessionCookie } from '../kernel/http/auth.js';
import { codeParams, municipalityCodeSchema, staffErrors, staffSecurity, uuidSchema } from '../kernel/http/schemas.js';
import { ROLES, type Role } from '../kernel/callers.js';
import type { StaffService } from './service.js';

const staffView = {
  type: 'object',
  properties: {
    id: { type: 'string' }, loginName: { type: 'string' }, displayName: { type: 'string' }, municipalityCode: { type: 'string' },
    roles: { type: 'array', items: { type: 'string' } }, totpEnrolled: { type: 'boolean' }, lockedUntil: { type: ['string', 'null'] }, disabled: { type: 'boolean' },
  },
} as const;
const sessionView = {
  type: 'object',
  properties: {
    staff: { type: 'object', properties: { id: { type: 'string' }, loginName: { type: 'string' }, displayName: { type: 'string' }, municipalityCode: { type: 'string' }, roles: { type: 'array', items: { type: 'string' } } } },
    csrfToken: { type: 'string' },
    expiresAt: { type: 'string' },
  },
} as const;
const rolesSchema = { type: 'array', minItems: 1, maxItems: ROLES.length, uniqueItems: true, items: { type: 'string', enum: ROLES } } as const;
const staffParams = { type: 'object', additionalProperties: false, required: ['code', 'id'], properties: { code: municipalityCodeSchema, id: uuidSchema } } as const;

export function staffRoutes(app: FastifyInstance, deps: { staff: StaffService; guard: preHandlerAsyncHookHandler; cookieSecure: boolean; loginRateLimit: number }) {
  const { staff: svc, guard } = deps;
  const tags = ['staff'];

  app.post<{ Body: { loginName: string; password: string; totp?: string } }>('/api/auth/login', {
    config: { rateLimit: { max: deps.loginRateLimit, timeWindow: '1 minute' } },
    schema: {
      tags, summary: 'Staff login with password and TOTP; sets an httpOnly session cookie',
      body: {
        type: 'object', additionalProperties: false, required: ['loginName', 'password'],
        properties: { loginName: { type: 'string', minLength: 1, maxLength: 64 }, password: { type: 'string', minLength: 1, maxLength: 256 }, totp: { type: 'string', pattern: '^[0-9]{6}$' } },
      },
      response: { 200: sessionView, 400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' }, 423: { $ref: 'Problem#' }, 429: { $ref: 'Problem#' } },
    },
  }, async (req, reply) => {
    const session = await svc.login(req.body, req.id);
    setStaffSessionCookie(reply, session.token, session.expiresAt, deps.cookieSecure);
    return { staff: session.staff, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() };
  });

  app.get('/api/session', {
    preHandler: guard, schema: { tags, summary: 'The current staff session and its CSRF token', security: staffSecurity, response: { 200: sessionView, 401: { $ref: 'Problem#' } } },
  }, async (req) => ({ staff: principal(req), csrfToken: req.csrfToken }));

  app.post('/api/auth/logout', {
    preHandler: guard, schema: { tags, summary: `Log out (needs the ${CSRF_HEADER} header)`, security: staffSecurity, response: { 204: { description: 'Logged out', type: 'null' }, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' } } },
  }, async (req, reply) => {
    await svc.logout(req.cookies[SESSION_COOKIE]!, principal(req).municipalityCode);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.get<{ Params: { code: string } }>('/api/municipalities/:code/staff', {
    preHandler: guard, schema: { tags, summary: 'Staff accounts of a municipality', security: staffSecurity, params: codeParams, response: { 200: { type: 'array', items: staffView }, ...staffErrors } },
  }, async (req) => svc.list(principal(req), req.params.code));

  app.post<{ Params: { code: string }; Body: { loginName: string; displayName: string; roles: Role[]; password: string } }>('/api/municipalities/:code/staff', {
    preHandler: guard,
    schema: {
      tags, summary: 'Create a staff account; returns its TOTP secret once', security: staffSecurity, params: codeParams,
      body: {
        type: 'object', additionalProperties: false, required: ['loginName', 'displayName', 'roles', 'password'],
        properties: {
          loginName: { type: 'string', pattern: '^[a-z0-9._-]{3,64}$' }, displayName: { type: 'string', minLength: 1, maxLength: 100 },
          roles: rolesSchema, password: { type: 'string', minLength: 1, maxLength: 256 },
        },
      },
      response: { 201: { type: 'object', properties: { staff: staffView, totpSecret: { type: 'string' }, totpUri: { type: 'string' } } }, ...staffErrors },
    },
  }, async (req, reply) => reply.code(201).send(await svc.create(principal(req), req.params.code, req.body)));

  app.patch<{ Params: { code: string; id: string }; Body: { displayName?: string; roles?: Role[]; disabled?: boolean } }>('/api/municipalities/:code/staff/:id', {
    preHandler: guard,
    schema: {
      tags, summary: 'Edit a staff account', security: staffSecurity, params: staffParams,
      body: { type: 'object', additionalProperties: false, minProperties: 1, properties: { displayName: { type: 'string', minLength: 1, maxLength: 100 }, roles: rolesSchema, disabled: { type: 'boolean' } } },
      response: { 200: staffView, ...staffErrors },
    },
  }, async (req) => svc.update(principal(req), req.params.code, req.params.id, req.body));

  app.post<{ Params: { code: string; id: string } }>('/api/municipalities/:code/staff/:id/unlock', {
    preHandler: guard, schema: { tags, summary: 'Unlock a locked account', security: staffSecurity, params: staffParams, response: { 200: staffView, ...staffErrors } },
  }, async (req) => svc.unlock(principal(req), req.params.code, req.params.id));
}

import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { CSRF_HEADER, principal } from '../kernel/http/auth.js';
import { codeParams, municipalityCodeSchema, staffSecurity, uuidSchema } from '../kernel/http/schemas.js';
import { bindingSchema, touchProperties } from '../identity/index.js';
import type { VerifyInput } from '../identity/index.js';
import { TOUCH_ONLY_FLOW } from '../municipality/index.js';
import { consentSchema, consentViewSchema } from '../registration/index.js';
import type { ConsentInput } from '../registration/index.js';
import { RESIDENT_COOKIE, TOUCH_COOKIE, TOUCH_COOKIE_PATH } from './guard.js';
import { residentOf } from '../kernel/residentCaller.js';
import type { BegunSession, PortalService } from './service.js';

export const residentSecurity = [{ residentSession: [] }];
const problems = (...codes: number[]) => Object.fromEntries(codes.map((s) => [s, { $ref: 'Problem#' }]));
const touchProblems = problems(400, 403, 404, 409, 410, 422, 424, 429);
const sessionProps = {
  municipalityCode: { type: 'string' },
  municipalityName: { type: 'object', properties: { ja: { type: 'string' }, en: { type: 'string' } } },
  residentId: { type: 'string' }, residentNumber: { type: 'string' }, globalId: { type: 'string' },
  acr: { type: 'string', enum: ['urn:kazashi:acr:card-pin', 'urn:kazashi:acr:card-touch'] },
  authTime: { type: 'string' }, expiresAt: { type: 'string' },
} as const;
export const residentSessionSchema = { type: 'object', properties: { ...sessionProps, csrfToken: { type: 'string' } } } as const;
export const residentSessionNoCsrfSchema = { type: 'object', properties: sessionProps } as const;

export interface PortalRouteDeps {
  portal: PortalService;
  residentGuard: preHandlerAsyncHookHandler;
  /** The staff session guard, for the kiosk route. */
  staffGuard: preHandlerAsyncHookHandler;
  cookieSecure: boolean;
  /** Public challenge and login requests per minute per client address. */
  loginRateLimit: number;
}

/** Sets the new session's cookie; the browser's old session (if any) has been ended by then. */
export function setResidentCookie(reply: FastifyReply, s: BegunSession, secure: boolean) {
  reply.setCookie(RESIDENT_COOKIE, s.token, { path: '/', httpOnly: true, sameSite: 'strict', secure, expires: new Date(s.view.expiresAt) });
}

/** Every route of the portal domain: login and session, the kiosk touch-only login, My page. */
export function portalRoutes(app: FastifyInstance, deps: PortalRouteDeps) {
  portalSessionRoutes(app, deps);
  kioskRoutes(app, deps);
  myPageRoutes(app, deps);
}

/** The resident's public login (card + PIN on their own device) and their session. */
export function portalSessionRoutes(app: FastifyInstance, deps: PortalRouteDeps) {
  const { portal: svc, residentGuard: guard } = deps;
  const tags = ['portal'];
  const rateLimit = { max: deps.loginRateLimit, timeWindow: '1 minute' };
  /** The browser's pre-login token, issued on its first challenge. */
  const touchToken = (req: FastifyRequest, reply: FastifyReply) => {
    let token = req.cookies[TOUCH_COOKIE];
    if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) {
      token = crypto.randomBytes(32).toString('base64url');
      reply.setCookie(TOUCH_COOKIE, token, { path: TOUCH_COOKIE_PATH, httpOnly: true, sameSite: 'strict', secure: deps.cookieSecure });
    }
    return token;
  };

  app.post<{ Body: { municipalityCode: string; purpose: 'login' } }>('/api/resident/challenges', {
    config: { rateLimit },
    schema: {
      tags, summary: `A single-use login challenge for the resident's own card reader, bound to this browser (${TOUCH_COOKIE} cookie)`,
      body: { type: 'object', additionalProperties: false, required: ['municipalityCode', 'purpose'], properties: { municipalityCode: municipalityCodeSchema, purpose: { type: 'string', const: 'login' } } },
      response: {
        201: { type: 'object', properties: { challengeId: { type: 'string' }, challenge: { type: 'string', description: '32 random bytes, base64url' }, expiresAt: { type: 'string' } } },
        ...problems(400, 404, 429),
      },
    },
  }, async (req, reply) => reply.code(201).send(await svc.challenge(req.body.municipalityCode, touchToken(req, reply), req.id)));

  app.post<{ Body: VerifyInput & { municipalityCode: string } }>('/api/resident/login', {
    config: { rateLimit },
    schema: {
      tags, summary: `Card + PIN login on the resident's own device; sets a new ${RESIDENT_COOKIE} cookie and ends the browser's previous session`,
      body: {
        type: 'object', additionalProperties: false, required: ['municipalityCode', 'challengeId', 'purpose', 'certificate', 'signature'],
        properties: { municipalityCode: municipalityCodeSchema, ...touchProperties({ type: 'string', const: 'login' }) },
      },
      response: { 200: residentSessionSchema, ...touchProblems },
    },
  }, async (req, reply) => {
    const { municipalityCode, ...touch } = req.body;
    const previous = req.cookies[RESIDENT_COOKIE];
    const s = await svc.login(municipalityCode, touch, req.cookies[TOUCH_COOKIE] ?? crypto.randomBytes(32).toString('base64url'), req.id);
    if (previous) await svc.endPrevious(previous, req.id);
    setResidentCookie(reply, s, deps.cookieSecure);
    return s.view;
  });

  app.get('/api/resident/session', {
    preHandler: guard,
    schema: { tags, summary: 'The resident\'s current session and its CSRF token', security: residentSecurity, response: { 200: residentSessionSchema, ...problems(401) } },
  }, async (req) => svc.sessionView(residentOf(req)));

  app.post('/api/resident/logout', {
    preHandler: guard,
    schema: { tags, summary: `End the resident session (needs the ${CSRF_HEADER} header)`, security: residentSecurity, response: { 204: { description: 'Logged out', type: 'null' }, ...problems(401, 403) } },
  }, async (req, reply) => {
    await svc.logout(residentOf(req), req.id);
    reply.clearCookie(RESIDENT_COOKIE, { path: '/' });
    return reply.code(204).send();
  });
}

/** The kiosk's touch-only login, run by staff on a flow the municipality allows. */
export function kioskRoutes(app: FastifyInstance, deps: PortalRouteDeps) {
  const { portal: svc } = deps;
  app.post<{ Params: { code: string }; Body: { flow: string; certificate: string } }>('/api/municipalities/:code/resident-sessions/touch', {
    preHandler: deps.staffGuard,
    schema: {
      tags: ['portal'],
      summary: `Kiosk touch-only login (no PIN): a resident session with acr card-touch, only on the municipality's touch-only flows; sets ${RESIDENT_COOKIE}`,
      security: staffSecurity, params: codeParams,
      body: {
        type: 'object', additionalProperties: false, required: ['flow', 'certificate'],
        properties: {
          flow: { type: 'string', pattern: TOUCH_ONLY_FLOW.source, description: 'The kiosk flow, e.g. shelter-reentry' },
          certificate: touchProperties({}).certificate,
        },
      },
      response: { 200: residentSessionSchema, ...problems(400, 401, 403, 404, 422, 424) },
    },
  }, async (req, reply) => {
    const previous = req.cookies[RESIDENT_COOKIE];
    const s = await svc.kioskTouch(principal(req), req.params.code, req.body.flow, req.body.certificate, req.id);
    if (previous) await svc.endPrevious(previous, req.id);
    setResidentCookie(reply, s, deps.cookieSecure);
    return s.view;
  });
}

const profileSchema = {
  type: ['object', 'null'],
  properties: { name: { type: ['string', 'null'] }, address: { type: ['string', 'null'] }, birthDate: { type: ['string', 'null'] }, sex: { type: ['string', 'null'] } },
} as const;
const meSchema = {
  type: 'object',
  properties: {
    session: residentSessionNoCsrfSchema,
    profile: profileSchema,
    services: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, joined: { type: 'boolean' } } } },
    cards: { type: 'array', items: { type: 'object', properties: { status: { type: 'string' }, boundAt: { type: 'string' }, suspendedAt: { type: ['string', 'null'] } } } },
  },
} as const;
const accessLogSchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      id: { type: 'string' }, at: { type: 'string' }, seq: { type: ['integer', 'null'] }, actorKind: { type: 'string', enum: ['staff', 'resident', 'service', 'system'] }, actor: { type: 'string' },
      action: { type: 'string' }, purpose: { type: 'string' }, categories: { type: 'array', items: { type: 'string' } }, fields: { type: 'array', items: { type: 'string' } },
    },
  },
} as const;

/** My page: the resident's own records, through their own session only (no municipality or resident in the URL). */
export function myPageRoutes(app: FastifyInstance, deps: PortalRouteDeps) {
  const { portal: svc, residentGuard: preHandler } = deps;
  const tags = ['portal'];
  const security = residentSecurity;
  const errs = problems(400, 401, 403, 404);

  app.get('/api/resident/me', {
    preHandler, schema: { tags, summary: 'My page: session, profile (read from the vault, audited), joined services, cards', security, response: { 200: meSchema, ...errs } },
  }, async (req) => svc.me(residentOf(req), req.id));

  app.get('/api/resident/me/consents', {
    preHandler, schema: { tags, summary: 'My consent records (ISO/IEC TS 27560 shape)', security, response: { 200: { type: 'array', items: consentViewSchema }, ...errs } },
  }, async (req) => svc.consents(residentOf(req), req.id));

  app.post<{ Body: ConsentInput }>('/api/resident/me/consents', {
    preHandler,
    schema: {
      tags, summary: 'Give a consent (card + PIN session; recipients must share a joint-use group with the municipality)', security, body: consentSchema(),
      response: { 201: consentViewSchema, ...problems(400, 401, 403, 404, 422) },
    },
  }, async (req, reply) => reply.code(201).send(await svc.grantConsent(residentOf(req), req.body, req.id)));

  app.post<{ Params: { consentId: string } }>('/api/resident/me/consents/:consentId/withdraw', {
    preHandler,
    schema: {
      tags, summary: 'Withdraw one of my consents with immediate effect (card + PIN session)', security,
      params: { type: 'object', additionalProperties: false, required: ['consentId'], properties: { consentId: uuidSchema } },
      response: { 200: consentViewSchema, ...errs },
    },
  }, async (req) => svc.withdrawConsent(residentOf(req), req.params.consentId, req.id));

  app.get('/api/resident/me/consents/export', {
    preHandler,
    schema: {
      tags, summary: 'Export my consent records as JSON (ISO/IEC TS 27560 shape; audited)', security,
      response: {
        200: { type: 'object', properties: { schema: { type: 'string' }, exportedAt: { type: 'string' }, subject: { type: 'string' }, controller: { type: 'string' }, records: { type: 'array', items: consentViewSchema } } },
        ...errs,
      },
    },
  }, async (req) => svc.exportConsents(residentOf(req), req.id));

  app.get<{ Querystring: { limit?: number } }>('/api/resident/me/access-log', {
    preHandler,
    schema: {
      tags, summary: 'Who accessed my records and why (audit entries naming me), newest first', security,
      querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 } } },
      response: { 200: accessLogSchema, ...errs },
    },
  }, async (req) => svc.accessLog(residentOf(req), req.query.limit ?? 50));

  app.post('/api/resident/me/qr-token', {
    preHandler,
    schema: {
      tags, summary: 'A fresh rotating personal QR token for my screen (short-lived, accepted once)', security,
      response: { 200: { type: 'object', properties: { token: { type: 'string' }, expiresAt: { type: 'string' }, refreshInSeconds: { type: 'integer' } } }, ...errs },
    },
  }, async (req) => svc.qrToken(residentOf(req)));

  app.post<{ Body: { reason: string } }>('/api/resident/me/card/suspend', {
    preHandler,
    schema: {
      tags, summary: 'Lost card: suspend my card at once; every session of mine ends', security,
      body: { type: 'object', additionalProperties: false, required: ['reason'], properties: { reason: { type: 'string', minLength: 2, maxLength: 200 } } },
      response: { 200: bindingSchema, ...errs },
    },
  }, async (req, reply) => {
    const b = await svc.suspendCard(residentOf(req), req.body.reason, req.id);
    reply.clearCookie(RESIDENT_COOKIE, { path: '/' });
    return b;
  });
}

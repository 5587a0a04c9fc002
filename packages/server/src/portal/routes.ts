import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { CardBindingView } from '../identity/index.js';
import { CSRF_HEADER, principal } from '../kernel/http/auth.js';
import { MunicipalityCode, Strict, Type, Uuid, type App } from '../kernel/http/contract.js';
import { staffSecurity } from '../kernel/http/schemas.js';
import { QrTokenView } from '../qr/index.js';
import { ConsentExport, consentInputSchema, ConsentView } from '../registration/index.js';
import { residentOf } from '../kernel/residentCaller.js';
import { ChallengeView } from '../identity/index.js';
import { AccessLogEntry, KioskTouchRequest, MyCardSuspendRequest, MyPage, ResidentChallengeRequest, ResidentLoginRequest, ResidentSessionView } from './contract.js';
import { RESIDENT_COOKIE, TOUCH_COOKIE, TOUCH_COOKIE_PATH } from './guard.js';
import type { BegunSession, PortalService } from './service.js';

export const residentSecurity = [{ residentSession: [] }];
const problems = (...codes: number[]) => Object.fromEntries(codes.map((s) => [s, { $ref: 'Problem#' }]));
const touchProblems = problems(400, 403, 404, 409, 410, 422, 424, 429);
/** A card binding (identity's shape: identity has no contract of its own yet). */

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
export function portalRoutes(app: App, deps: PortalRouteDeps) {
  portalSessionRoutes(app, deps);
  kioskRoutes(app, deps);
  myPageRoutes(app, deps);
}

/** The resident's public login (card + PIN on their own device) and their session. */
export function portalSessionRoutes(app: App, deps: PortalRouteDeps) {
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

  app.post('/api/resident/challenges', {
    config: { rateLimit },
    schema: {
      tags, summary: `A single-use login challenge for the resident's own card reader, bound to this browser (${TOUCH_COOKIE} cookie)`,
      body: ResidentChallengeRequest,
      response: { 201: ChallengeView, ...problems(400, 404, 429) },
    },
  }, async (req, reply) => reply.code(201).send(await svc.challenge(req.body.municipalityCode, touchToken(req, reply), req.id)));

  app.post('/api/resident/login', {
    config: { rateLimit },
    schema: {
      tags, summary: `Card + PIN login on the resident's own device; sets a new ${RESIDENT_COOKIE} cookie and ends the browser's previous session`,
      body: ResidentLoginRequest,
      response: { 200: ResidentSessionView, ...touchProblems },
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
    schema: { tags, summary: 'The resident\'s current session and its CSRF token', security: residentSecurity, response: { 200: ResidentSessionView, ...problems(401) } },
  }, async (req) => svc.sessionView(residentOf(req)));

  app.post('/api/resident/logout', {
    preHandler: guard,
    schema: { tags, summary: `End the resident session (needs the ${CSRF_HEADER} header)`, security: residentSecurity, response: { 204: Type.Null({ description: 'Logged out' }), ...problems(401, 403) } },
  }, async (req, reply) => {
    await svc.logout(residentOf(req), req.id);
    reply.clearCookie(RESIDENT_COOKIE, { path: '/' });
    return reply.code(204).send(null);
  });
}

/** The kiosk's touch-only login, run by staff on a flow the municipality allows. */
export function kioskRoutes(app: App, deps: PortalRouteDeps) {
  const { portal: svc } = deps;
  app.post('/api/municipalities/:code/resident-sessions/touch', {
    preHandler: deps.staffGuard,
    schema: {
      tags: ['portal'],
      summary: `Kiosk touch-only login (no PIN): a resident session with acr card-touch, only on the municipality's touch-only flows; sets ${RESIDENT_COOKIE}`,
      security: staffSecurity, params: Strict({ code: MunicipalityCode }),
      body: KioskTouchRequest,
      response: { 200: ResidentSessionView, ...problems(400, 401, 403, 404, 422, 424) },
    },
  }, async (req, reply) => {
    const previous = req.cookies[RESIDENT_COOKIE];
    const s = await svc.kioskTouch(principal(req), req.params.code, req.body.flow, req.body.certificate, req.id);
    if (previous) await svc.endPrevious(previous, req.id);
    setResidentCookie(reply, s, deps.cookieSecure);
    return s.view;
  });
}

/** My page: the resident's own records, through their own session only (no municipality or resident in the URL). */
export function myPageRoutes(app: App, deps: PortalRouteDeps) {
  const { portal: svc, residentGuard: preHandler } = deps;
  const tags = ['portal'];
  const security = residentSecurity;
  const errs = problems(400, 401, 403, 404);

  app.get('/api/resident/me', {
    preHandler, schema: { tags, summary: 'My page: session, profile (read from the vault, audited), joined services, cards', security, response: { 200: MyPage, ...errs } },
  }, async (req) => svc.me(residentOf(req), req.id));

  app.get('/api/resident/me/consents', {
    preHandler, schema: { tags, summary: 'My consent records (ISO/IEC TS 27560 shape)', security, response: { 200: Type.Array(ConsentView), ...errs } },
  }, async (req) => svc.consents(residentOf(req), req.id));

  app.post('/api/resident/me/consents', {
    preHandler,
    schema: {
      tags, summary: 'Give a consent (card + PIN session; recipients must share a joint-use group with the municipality)', security, body: consentInputSchema(),
      response: { 201: ConsentView, ...problems(400, 401, 403, 404, 422) },
    },
  }, async (req, reply) => reply.code(201).send(await svc.grantConsent(residentOf(req), req.body, req.id)));

  app.post('/api/resident/me/consents/:consentId/withdraw', {
    preHandler,
    schema: {
      tags, summary: 'Withdraw one of my consents with immediate effect (card + PIN session)', security,
      params: Strict({ consentId: Uuid }),
      response: { 200: ConsentView, ...errs },
    },
  }, async (req) => svc.withdrawConsent(residentOf(req), req.params.consentId, req.id));

  app.get('/api/resident/me/consents/export', {
    preHandler,
    schema: {
      tags, summary: 'Export my consent records as JSON (ISO/IEC TS 27560 shape; audited)', security,
      response: { 200: ConsentExport, ...errs },
    },
  }, async (req) => svc.exportConsents(residentOf(req), req.id));

  app.get('/api/resident/me/access-log', {
    preHandler,
    schema: {
      tags, summary: 'Who accessed my records and why (audit entries naming me), newest first', security,
      querystring: Strict({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) }),
      response: { 200: Type.Array(AccessLogEntry), ...errs },
    },
  }, async (req) => svc.accessLog(residentOf(req), req.query.limit ?? 50));

  app.post('/api/resident/me/qr-token', {
    preHandler,
    schema: {
      tags, summary: 'A fresh rotating personal QR token for my screen (short-lived, accepted once)', security,
      response: { 200: QrTokenView, ...errs },
    },
  }, async (req) => svc.qrToken(residentOf(req)));

  app.post('/api/resident/me/card/suspend', {
    preHandler,
    schema: {
      tags, summary: 'Lost card: suspend my card at once; every session of mine ends', security,
      body: MyCardSuspendRequest,
      response: { 200: CardBindingView, ...errs },
    },
  }, async (req, reply) => {
    const b = await svc.suspendCard(residentOf(req), req.body.reason, req.id);
    reply.clearCookie(RESIDENT_COOKIE, { path: '/' });
    return b;
  });
}

import type { preHandlerAsyncHookHandler } from 'fastify';
import { principal, SESSION_COOKIE } from '../kernel/http/auth.js';
import { MunicipalityCode, Strict, Type, Uuid, type App } from '../kernel/http/contract.js';
import { staffSecurity } from '../kernel/http/schemas.js';
import { staffCounter, type Counter } from '../identity/index.js';
import { CardLoginRequest, CardLoginResult, ConsentExport, ConsentView, registrationRequestSchema, RegistrationResult } from './contract.js';
import type { RegistrationService } from './service.js';

const problems = Object.fromEntries([400, 401, 403, 404, 409, 410, 422, 424].map((s) => [s, { $ref: 'Problem#' }]));
const code = MunicipalityCode;
const uuid = Uuid;
const codeParams = Strict({ code });
const residentParams = Strict({ code, id: uuid });

export function registrationRoutes(app: App, deps: { registration: RegistrationService; guard: preHandlerAsyncHookHandler }) {
  const { registration: svc, guard } = deps;
  const tags = ['registration'];
  const counter = (req: Parameters<preHandlerAsyncHookHandler>[0]): Counter => staffCounter(principal(req), req.cookies[SESSION_COOKIE]!, req.id);

  app.post('/api/municipalities/:code/registrations', {
    preHandler: guard,
    schema: {
      tags, summary: 'First registration at the counter or kiosk: card touch, new resident ID, basic four to the vault, card binding, consents',
      security: staffSecurity, params: codeParams,
      body: registrationRequestSchema(),
      response: { 201: RegistrationResult, ...problems },
    },
  }, async (req, reply) => reply.code(201).send(await svc.register(counter(req), req.params.code, req.body)));

  app.post('/api/municipalities/:code/card-logins', {
    preHandler: guard,
    schema: {
      tags, summary: 'Card + PIN login: a verified touch (purpose login) of an active card identifies the resident', security: staffSecurity, params: codeParams,
      body: CardLoginRequest,
      response: { 200: CardLoginResult, ...problems },
    },
  }, async (req) => svc.login(counter(req), req.params.code, req.body));

  app.get('/api/municipalities/:code/residents/:id/consents', {
    preHandler: guard,
    schema: { tags, summary: 'The resident\'s consent records', security: staffSecurity, params: residentParams, response: { 200: Type.Array(ConsentView), ...problems } },
  }, async (req) => svc.consents(counter(req), req.params.code, req.params.id));

  app.get('/api/municipalities/:code/residents/:id/consents/export', {
    preHandler: guard,
    schema: {
      tags, summary: 'Export the resident\'s consent records as JSON (ISO/IEC TS 27560 shape)', security: staffSecurity, params: residentParams,
      response: { 200: ConsentExport, ...problems },
    },
  }, async (req) => svc.exportConsents(counter(req), req.params.code, req.params.id));

  app.post('/api/municipalities/:code/residents/:id/consents/:consentId/withdraw', {
    preHandler: guard,
    schema: {
      tags, summary: 'Withdraw a consent with immediate effect', security: staffSecurity,
      params: Strict({ code, id: uuid, consentId: uuid }),
      response: { 200: ConsentView, ...problems },
    },
  }, async (req) => svc.withdraw(counter(req), req.params.code, req.params.id, req.params.consentId));
}

import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import { principal, SESSION_COOKIE } from '../kernel/http/auth.js';
import { codeParams, municipalityCodeSchema, staffSecurity, uuidSchema } from '../kernel/http/schemas.js';
import { staffCounter, type Counter, type VerifyInput } from '../identity/index.js';
import { touchProperties } from '../identity/index.js';
import { categoryIds } from '../kernel/dataCategories.js';
import type { RegistrationInput, RegistrationService } from './service.js';

const problems = Object.fromEntries([400, 401, 403, 404, 409, 410, 422, 424].map((s) => [s, { $ref: 'Problem#' }]));
const idList = (description: string, item: object = { type: 'string', pattern: '^[a-z0-9][a-z0-9._:-]{0,63}$' }) => ({ type: 'array', maxItems: 50, uniqueItems: true, items: item, description }) as const;
/** A consent as given (built when routes are registered: every module has declared its data categories by then). */
export const consentSchema = () => ({
  type: 'object', additionalProperties: false, required: ['purpose', 'termsVersion'],
  properties: {
    purpose: { type: 'string', minLength: 2, maxLength: 200 },
    services: idList('Service ids the consent covers'),
    categories: idList('Data categories the consent covers', { type: 'string', enum: categoryIds() }),
    recipients: idList('Municipality codes of the joint-use group that may receive the data', municipalityCodeSchema),
    termsVersion: { type: 'string', minLength: 1, maxLength: 40 },
  },
}) as const;
export const consentViewSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, subject: { type: 'string' }, controller: { type: 'string' }, purpose: { type: 'string' },
    scope: { type: 'object', properties: { services: { type: 'array', items: { type: 'string' } }, dataCategories: { type: 'array', items: { type: 'string' } } } },
    recipients: { type: 'array', items: { type: 'string' } }, givenAt: { type: 'string' }, withdrawnAt: { type: ['string', 'null'] },
    status: { type: 'string', enum: ['active', 'withdrawn'] }, termsVersion: { type: 'string' },
  },
} as const;
const residentParams = { type: 'object', additionalProperties: false, required: ['code', 'id'], properties: { code: municipalityCodeSchema, id: uuidSchema } } as const;
const field = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength }) as const;

export function registrationRoutes(app: FastifyInstance, deps: { registration: RegistrationService; guard: preHandlerAsyncHookHandler }) {
  const { registration: svc, guard } = deps;
  const tags = ['registration'];
  const counter = (req: Parameters<preHandlerAsyncHookHandler>[0]): Counter => staffCounter(principal(req), req.cookies[SESSION_COOKIE]!, req.id);

  app.post<{ Params: { code: string }; Body: RegistrationInput }>('/api/municipalities/:code/registrations', {
    preHandler: guard,
    schema: {
      tags, summary: 'First registration at the counter or kiosk: card touch, new resident ID, basic four to the vault, card binding, consents',
      security: staffSecurity, params: codeParams,
      body: {
        type: 'object', additionalProperties: false, required: ['challengeId', 'purpose', 'certificate', 'signature', 'consents'],
        properties: {
          ...touchProperties({ type: 'string', const: 'registration' }),
          basicFour: {
            type: 'object', additionalProperties: false, required: ['name', 'address', 'birthDate', 'sex'],
            properties: { name: field(200), address: field(500), birthDate: field(40), sex: field(10) },
          },
          consents: { type: 'array', maxItems: 50, items: consentSchema() },
        },
      },
      response: { 201: { type: 'object', properties: { residentId: { type: 'string' }, residentNumber: { type: 'string' }, globalId: { type: 'string' } } }, ...problems },
    },
  }, async (req, reply) => reply.code(201).send(await svc.register(counter(req), req.params.code, req.body)));

  app.post<{ Params: { code: string }; Body: VerifyInput }>('/api/municipalities/:code/card-logins', {
    preHandler: guard,
    schema: {
      tags, summary: 'Card + PIN login: a verified touch (purpose login) of an active card identifies the resident', security: staffSecurity, params: codeParams,
      body: { type: 'object', additionalProperties: false, required: ['challengeId', 'purpose', 'certificate', 'signature'], properties: touchProperties({ type: 'string', const: 'login' }) },
      response: {
        200: { type: 'object', properties: { residentId: { type: 'string' }, residentNumber: { type: 'string' }, globalId: { type: 'string' }, acr: { type: 'string' } } },
        ...problems,
      },
    },
  }, async (req) => svc.login(counter(req), req.params.code, req.body));

  app.get<{ Params: { code: string; id: string } }>('/api/municipalities/:code/residents/:id/consents', {
    preHandler: guard,
    schema: { tags, summary: 'The resident\'s consent records', security: staffSecurity, params: residentParams, response: { 200: { type: 'array', items: consentViewSchema }, ...problems } },
  }, async (req) => svc.consents(counter(req), req.params.code, req.params.id));

  app.get<{ Params: { code: string; id: string } }>('/api/municipalities/:code/residents/:id/consents/export', {
    preHandler: guard,
    schema: {
      tags, summary: 'Export the resident\'s consent records as JSON (ISO/IEC TS 27560 shape)', security: staffSecurity, params: residentParams,
      response: {
        200: { type: 'object', properties: { schema: { type: 'string' }, exportedAt: { type: 'string' }, subject: { type: 'string' }, controller: { type: 'string' }, records: { type: 'array', items: consentViewSchema } } },
        ...problems,
      },
    },
  }, async (req) => svc.exportConsents(counter(req), req.params.code, req.params.id));

  app.post<{ Params: { code: string; id: string; consentId: string } }>('/api/municipalities/:code/residents/:id/consents/:consentId/withdraw', {
    preHandler: guard,
    schema: {
      tags, summary: 'Withdraw a consent with immediate effect', security: staffSecurity,
      params: { type: 'object', additionalProperties: false, required: ['code', 'id', 'consentId'], properties: { code: municipalityCodeSchema, id: uuidSchema, consentId: uuidSchema } },
      response: { 200: consentViewSchema, ...problems },
    },
  }, async (req) => svc.withdraw(counter(req), req.params.code, req.params.id, req.params.consentId));
}

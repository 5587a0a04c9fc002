import type { preHandlerAsyncHookHandler } from 'fastify';
import { principal, SESSION_COOKIE } from '../kernel/http/auth.js';
import { Type, type App } from '../kernel/http/contract.js';
import { codeParams, municipalityCodeSchema, staffErrors, staffSecurity, uuidSchema } from '../kernel/http/schemas.js';
import { categoryFields, categoryIds, type DataCategory } from '../kernel/dataCategories.js';
import { PersonalDataView, PersonalDataWritten, ResidentView } from './contract.js';
import type { ResidentService } from './service.js';

const purposeSchema = { type: 'string', minLength: 2, maxLength: 200, description: 'Why the data is accessed (recorded in the audit trail)' } as const;
const categoryData = (c: DataCategory) => ({
  type: 'object', additionalProperties: false, minProperties: 1,
  properties: Object.fromEntries((categoryFields(c) ?? []).map((f) => [f, { type: 'string', maxLength: 500 }])),
});
// Built when the routes are registered: every module has declared its categories by then.
const personalParams = () => ({
  type: 'object', additionalProperties: false, required: ['code', 'id', 'category'],
  properties: { code: municipalityCodeSchema, id: uuidSchema, category: { type: 'string', enum: categoryIds() } },
}) as const;

export function residentRoutes(app: App, deps: { residents: ResidentService; guard: preHandlerAsyncHookHandler; lookupRateLimit: number }) {
  const tags = ['resident'];
  const actor = (login: string) => `staff:${login}`;

  app.get<{ Params: { code: string } }>('/api/municipalities/:code/residents', {
    preHandler: deps.guard, schema: { tags, summary: 'Residents (pseudonymous ids and data categories only)', security: staffSecurity, params: codeParams, response: { 200: Type.Array(ResidentView), ...staffErrors } },
  }, async (req) => deps.residents.list(principal(req), req.params.code));

  app.post<{ Params: { code: string }; Body: { purpose: string; personal: Partial<Record<DataCategory, Record<string, string>>> } }>('/api/municipalities/:code/residents', {
    preHandler: deps.guard,
    schema: {
      tags, summary: 'Register a resident; personal data goes to the vault', security: staffSecurity, params: codeParams,
      body: {
        type: 'object', additionalProperties: false, required: ['purpose', 'personal'],
        properties: {
          purpose: purposeSchema,
          personal: { type: 'object', additionalProperties: false, minProperties: 1, properties: Object.fromEntries(categoryIds().map((c) => [c, categoryData(c)])) },
        },
      },
      response: { 201: ResidentView, ...staffErrors },
    },
  }, async (req, reply) => {
    const p = principal(req);
    const r = await deps.residents.register(req.params.code, req.body.personal, { actor: actor(p.loginName), purpose: req.body.purpose, requestId: req.id }, p);
    return reply.code(201).send(r);
  });

  app.get<{ Params: { code: string; number: string } }>('/api/municipalities/:code/residents/by-number/:number', {
    preHandler: deps.guard,
    // Per staff session (else per address): trying IDs one after another is enumeration, whoever does it.
    config: { rateLimit: { max: deps.lookupRateLimit, timeWindow: '1 minute', keyGenerator: (req) => req.cookies[SESSION_COOKIE] ?? req.ip } },
    schema: {
      tags, summary: 'Find a resident by the 6-digit resident ID (住民ID); a typo is refused by the check digit', security: staffSecurity,
      params: {
        type: 'object', additionalProperties: false, required: ['code', 'number'],
        properties: { code: municipalityCodeSchema, number: { type: 'string', minLength: 1, maxLength: 20 } },
      },
      response: { 200: ResidentView, ...staffErrors, 429: { $ref: 'Problem#' } },
    },
  }, async (req) => deps.residents.findByNumber(principal(req), req.params.code, req.params.number));

  app.get<{ Params: { code: string; id: string; category: DataCategory }; Querystring: { purpose: string } }>('/api/municipalities/:code/residents/:id/personal/:category', {
    preHandler: deps.guard,
    schema: {
      tags, summary: 'Read one category of a resident\'s personal data (audited)', security: staffSecurity, params: personalParams(),
      querystring: { type: 'object', additionalProperties: false, required: ['purpose'], properties: { purpose: purposeSchema } },
      response: { 200: PersonalDataView, ...staffErrors },
    },
  }, async (req) => {
    const p = principal(req);
    return deps.residents.readPersonal(p, req.params.code, req.params.id, req.params.category, { actor: actor(p.loginName), purpose: req.query.purpose, requestId: req.id });
  });

  app.put<{ Params: { code: string; id: string; category: DataCategory }; Body: { purpose: string; data: Record<string, string> } }>('/api/municipalities/:code/residents/:id/personal/:category', {
    preHandler: deps.guard,
    schema: {
      tags, summary: 'Write one category of a resident\'s personal data (audited)', security: staffSecurity, params: personalParams(),
      body: {
        type: 'object', additionalProperties: false, required: ['purpose', 'data'],
        properties: { purpose: purposeSchema, data: { type: 'object', minProperties: 1, maxProperties: 20, additionalProperties: { type: 'string', maxLength: 500 } } },
      },
      response: { 200: PersonalDataWritten, ...staffErrors },
    },
  }, async (req) => {
    const p = principal(req);
    return deps.residents.writePersonal(p, req.params.code, req.params.id, req.params.category, req.body.data, { actor: actor(p.loginName), purpose: req.body.purpose, requestId: req.id });
  });
}

// Evacuee routes: the resident's pre-registration and safety search (portal), staff evacuee details.
import type { FastifyInstance } from 'fastify';
import { principal } from '../kernel/http/auth.js';
import { municipalityCodeSchema, staffSecurity, uuidSchema } from '../kernel/http/schemas.js';
import { residentOf } from '../kernel/residentCaller.js';
import type { EvacueePatch } from './evacueeService.js';
import type { ShelterRouteDeps } from './index.js';
import { NEEDS } from './schema.js';
import type { PreRegistration, SafetySearchRequest } from './views.js';

const problems = (...codes: number[]) => Object.fromEntries(codes.map((s) => [s, { $ref: 'Problem#' }]));
const tags = ['shelter'];
const residentSecurity = [{ residentSession: [] }];
const dateSchema = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10 } as const;
const text = (max: number) => ({ type: 'string', maxLength: max }) as const;
const needsSchema = { type: 'array', maxItems: NEEDS.length, uniqueItems: true, items: { type: 'string', enum: NEEDS } } as const;

const memberSchema = {
  type: 'object', additionalProperties: false,
  required: ['self', 'nameKanji', 'nameKana', 'birthDate', 'sex', 'allergies', 'medication', 'care', 'disability', 'pregnancy', 'infant', 'language', 'notes'],
  properties: {
    evacueeId: uuidSchema, self: { type: 'boolean' },
    nameKanji: { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' }, nameKana: text(100), birthDate: dateSchema,
    sex: { type: 'string', enum: ['male', 'female', 'other', ''] },
    allergies: text(500), medication: text(500), care: text(500), disability: text(500),
    pregnancy: { type: 'boolean' }, infant: { type: 'boolean' }, language: text(35), notes: text(1000),
  },
} as const;
const preRegistrationBody = {
  type: 'object', additionalProperties: false, required: ['phone', 'pets', 'consentInquiry', 'consentJointUse', 'members'],
  properties: {
    phone: text(30), pets: text(300), consentInquiry: { type: 'boolean' }, consentJointUse: { type: 'boolean' },
    members: { type: 'array', minItems: 1, maxItems: 20, items: memberSchema }, updatedAt: text(40),
  },
} as const;
const preRegistrationView = {
  type: 'object',
  properties: {
    ...preRegistrationBody.properties,
    members: { type: 'array', items: { type: 'object', properties: { ...memberSchema.properties, evacueeId: { type: 'string' }, birthDate: { type: 'string' }, nameKanji: { type: 'string' } } } },
    updatedAt: { type: 'string' },
  },
} as const;
const localized = { type: 'object', properties: { ja: { type: 'string' }, en: { type: 'string' } } } as const;
const safetySearchResult = {
  type: 'object',
  properties: {
    found: {
      type: 'array',
      items: {
        type: 'object',
        properties: { municipalityCode: { type: 'string' }, municipalityName: localized, place: { type: 'string' }, shelterName: { anyOf: [localized, { type: 'null' }] }, since: { type: 'string' } },
      },
    },
    remaining: { type: 'integer' },
  },
} as const;
const evacueeParams = { type: 'object', additionalProperties: false, required: ['code', 'evacueeId'], properties: { code: municipalityCodeSchema, evacueeId: uuidSchema } } as const;
const evacueeDetail = {
  type: 'object',
  properties: {
    evacueeId: { type: 'string' }, municipalityCode: { type: 'string' }, householdId: { type: 'string' },
    nameKanji: { type: ['string', 'null'] }, nameKana: { type: ['string', 'null'] }, isResident: { type: 'boolean' },
    needs: { type: 'array', items: { type: 'string' } }, language: { type: ['string', 'null'] }, sex: { type: ['string', 'null'] },
    consentInquiry: { type: 'boolean' }, consentJointUse: { type: 'boolean' }, dvProtected: { type: 'boolean' }, source: { type: 'string' },
    stay: {
      anyOf: [{ type: 'null' }, {
        type: 'object',
        properties: {
          stayId: { type: 'string' }, municipalityCode: { type: 'string' }, place: { type: 'string' }, shelterId: { type: ['string', 'null'] },
          shelterNameJa: { type: ['string', 'null'] }, shelterNameEn: { type: ['string', 'null'] }, status: { type: 'string' }, checkedInAt: { type: 'string' },
        },
      }],
    },
    details: { anyOf: [{ type: 'null' }, { type: 'object', additionalProperties: { type: 'string' } }] },
  },
} as const;

export function evacueeRoutes(app: FastifyInstance, deps: ShelterRouteDeps) {
  const { evacuees: svc, guard, residentGuard } = deps;

  app.get('/api/resident/me/shelter-registration', {
    preHandler: residentGuard,
    schema: { tags, security: residentSecurity, summary: 'My shelter pre-registration (事前登録) and household', response: { 200: preRegistrationView, ...problems(401, 404) } },
  }, async (req) => svc.preRegistration(residentOf(req), req.id));

  app.put<{ Body: PreRegistration }>('/api/resident/me/shelter-registration', {
    preHandler: residentGuard,
    schema: {
      tags, security: residentSecurity, summary: 'Replace my shelter pre-registration (household, needs, consents)',
      body: preRegistrationBody, response: { 200: preRegistrationView, ...problems(400, 401, 403) },
    },
  }, async (req) => svc.savePreRegistration(residentOf(req), req.body, req.id));

  app.post<{ Body: SafetySearchRequest }>('/api/resident/me/safety-search', {
    preHandler: residentGuard,
    schema: {
      tags, security: residentSecurity, summary: 'Safety search (安否確認): where a consenting relative stays, by name and birth date',
      body: {
        type: 'object', additionalProperties: false, required: ['name', 'birthDate'],
        properties: { name: { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' }, birthDate: dateSchema },
      },
      response: { 200: safetySearchResult, ...problems(400, 401, 403, 429) },
    },
  }, async (req) => svc.safetySearch(residentOf(req), req.body, req.id));

  app.get<{ Params: { code: string; evacueeId: string } }>('/api/municipalities/:code/evacuees/:evacueeId', {
    preHandler: guard,
    schema: { tags, security: staffSecurity, summary: 'One evacuee with vault details (audited)', params: evacueeParams, response: { 200: evacueeDetail, ...problems(401, 403, 404) } },
  }, async (req) => svc.detail(principal(req), req.params.code, req.params.evacueeId, req.id));

  app.patch<{ Params: { code: string; evacueeId: string }; Body: EvacueePatch }>('/api/municipalities/:code/evacuees/:evacueeId', {
    preHandler: guard,
    schema: {
      tags, security: staffSecurity, summary: 'Correct an evacuee: needs, language, consent, notes; DV protection (shelter:command)', params: evacueeParams,
      body: {
        type: 'object', additionalProperties: false, minProperties: 1,
        properties: { needs: needsSchema, language: { type: ['string', 'null'], maxLength: 35 }, consentInquiry: { type: 'boolean' }, notes: text(1000), dvProtected: { type: 'boolean' } },
      },
      response: { 200: evacueeDetail, ...problems(400, 401, 403, 404) },
    },
  }, async (req) => svc.patch(principal(req), req.params.code, req.params.evacueeId, req.body, req.id));
}

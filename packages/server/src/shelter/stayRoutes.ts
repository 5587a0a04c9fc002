import type { FastifyInstance, FastifyRequest } from 'fastify';
import { principal, SESSION_COOKIE } from '../kernel/http/auth.js';
import { municipalityCodeSchema, staffSecurity, uuidSchema } from '../kernel/http/schemas.js';
import { residentOf } from '../kernel/residentCaller.js';
import { ShelterErrors } from './errors.js';
import type { ShelterRouteDeps } from './index.js';
import { NEEDS, STAY_CHANNELS } from './schema.js';
import type { StaffCaller } from './stayService.js';
import type { CheckInRequest, MovementRequest, Need, OutsideStayInput } from './views.js';

const problems = (...codes: number[]) => Object.fromEntries(codes.map((s) => [s, { $ref: 'Problem#' }]));
const tags = ['shelter'];
const residentSecurity = [{ residentSession: [] }];
const keySchema = { type: 'string', minLength: 8, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$', description: 'Client-generated idempotency key (UUID recommended)' } as const;
const certificateSchema = { type: 'string', minLength: 100, maxLength: 8192, description: 'Card authentication certificate, base64 DER' } as const;
const needsSchema = { type: 'array', maxItems: NEEDS.length, uniqueItems: true, items: { type: 'string', enum: NEEDS } } as const;
const shelterParams = { type: 'object', additionalProperties: false, required: ['code', 'shelterId'], properties: { code: municipalityCodeSchema, shelterId: uuidSchema } } as const;
const stayParams = { type: 'object', additionalProperties: false, required: ['code', 'stayId'], properties: { code: municipalityCodeSchema, stayId: uuidSchema } } as const;

const stayView = {
  type: 'object',
  properties: {
    stayId: { type: 'string' }, municipalityCode: { type: 'string' }, evacueeId: { type: 'string' }, evacueeMunicipalityCode: { type: 'string' },
    householdId: { type: 'string' }, disasterId: { type: ['string', 'null'] }, place: { type: 'string' }, shelterId: { type: ['string', 'null'] },
    shelterNameJa: { type: ['string', 'null'] }, shelterNameEn: { type: ['string', 'null'] }, status: { type: 'string' }, channel: { type: 'string' },
    needs: { type: 'array', items: { type: 'string' } }, checkedInAt: { type: 'string' }, endedAt: { type: ['string', 'null'] },
  },
} as const;
const evacueeView = {
  type: 'object',
  properties: {
    evacueeId: { type: 'string' }, municipalityCode: { type: 'string' }, householdId: { type: 'string' },
    nameKanji: { type: ['string', 'null'] }, nameKana: { type: ['string', 'null'] }, isResident: { type: 'boolean' },
    needs: { type: 'array', items: { type: 'string' } }, language: { type: ['string', 'null'] }, sex: { type: ['string', 'null'] },
    stay: { anyOf: [stayView, { type: 'null' }] },
  },
} as const;
const walkInSchema = {
  type: 'object', additionalProperties: false, required: ['source', 'nameKanji'],
  properties: {
    source: { type: 'string', enum: ['card-walk-in', 'staff-entry', 'qr-intake'] },
    nameKanji: { type: 'string', minLength: 1, maxLength: 100 }, nameKana: { type: 'string', maxLength: 100 },
    birthDate: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' }, sex: { type: 'string', enum: ['male', 'female', 'other'] },
    address: { type: 'string', maxLength: 300 }, phone: { type: 'string', maxLength: 30 }, needs: needsSchema,
    language: { type: 'string', maxLength: 35 }, notes: { type: 'string', maxLength: 1000 }, consentInquiry: { type: 'boolean' },
    certificate: certificateSchema, intakeCode: { type: 'string', minLength: 4, maxLength: 64 }, householdId: uuidSchema,
  },
} as const;

/** Check-in, movements, roster (staff) and the resident's outside-shelter report. */
export function stayRoutes(app: FastifyInstance, deps: ShelterRouteDeps) {
  const { stays: svc, guard, residentGuard } = deps;
  const caller = (req: FastifyRequest): StaffCaller => ({ staff: principal(req), sessionToken: req.cookies[SESSION_COOKIE] ?? '', requestId: req.id });

  app.post<{ Params: { code: string; shelterId: string }; Body: { certificate: string; challengeId?: string; signature?: string } }>('/api/municipalities/:code/shelters/:shelterId/touch', {
    preHandler: guard,
    schema: {
      tags, summary: 'A card touched at the shelter kiosk: the holder and their household (own municipality or a joint-use partner)', security: staffSecurity,
      params: shelterParams,
      body: {
        type: 'object', additionalProperties: false, required: ['certificate'],
        properties: { certificate: certificateSchema, challengeId: uuidSchema, signature: { type: 'string', minLength: 16, maxLength: 2048 } },
      },
      response: {
        200: {
          type: 'object',
          properties: {
            homeMunicipalityCode: { type: 'string' },
            homeMunicipalityName: { type: 'object', properties: { ja: { type: 'string' }, en: { type: 'string' } } },
            detailsShared: { type: 'boolean' }, household: { type: 'array', items: evacueeView },
          },
        },
        ...problems(400, 401, 403, 404, 409, 410, 422, 424),
      },
    },
  }, async (req) => svc.touch(caller(req), req.params.code, req.params.shelterId, req.body));

  app.post<{ Params: { code: string; shelterId: string }; Body: CheckInRequest }>('/api/municipalities/:code/shelters/:shelterId/stays', {
    preHandler: guard,
    schema: {
      tags, security: staffSecurity, params: shelterParams,
      summary: 'Check in (入所): pre-registered people, a card read (offline queue), a personal QR, or a walk-in. Idempotent on idempotencyKey.',
      body: {
        type: 'object', additionalProperties: false, required: ['idempotencyKey'],
        properties: {
          idempotencyKey: keySchema, at: { type: 'string', format: 'date-time' }, acceptFull: { type: 'boolean' },
          evacueeIds: { type: 'array', minItems: 1, maxItems: 30, uniqueItems: true, items: uuidSchema },
          certificate: certificateSchema, qrToken: { type: 'string', minLength: 4, maxLength: 512 }, walkIn: walkInSchema,
          channel: { type: 'string', enum: STAY_CHANNELS },
        },
      },
      response: {
        200: { type: 'object', properties: { created: { type: 'boolean' }, stays: { type: 'array', items: stayView }, acceptedOverCapacity: { type: 'boolean' } } },
        201: { type: 'object', properties: { created: { type: 'boolean' }, stays: { type: 'array', items: stayView }, acceptedOverCapacity: { type: 'boolean' } } },
        ...problems(400, 401, 403, 404, 409, 410, 422, 424),
      },
    },
  }, async (req, reply) => {
    const result = await svc.checkIn(caller(req), req.params.code, req.params.shelterId, req.body);
    return reply.code(result.created ? 201 : 200).send(result);
  });

  app.post<{ Params: { code: string; stayId: string }; Body: MovementRequest }>('/api/municipalities/:code/stays/:stayId/movements', {
    preHandler: guard,
    schema: {
      tags, security: staffSecurity, params: stayParams,
      summary: 'Temporarily out, back, check out (退所) or transfer to another shelter. Idempotent on idempotencyKey.',
      body: {
        type: 'object', additionalProperties: false, required: ['idempotencyKey', 'kind'],
        properties: { idempotencyKey: keySchema, kind: { type: 'string', enum: ['out', 'back', 'check-out', 'transfer'] }, toShelterId: uuidSchema, at: { type: 'string', format: 'date-time' } },
      },
      response: { 200: stayView, ...problems(400, 401, 403, 404, 409, 422) },
    },
  }, async (req) => svc.move(caller(req), req.params.code, req.params.stayId, req.body));

  app.get<{ Params: { code: string; stayId: string } }>('/api/municipalities/:code/stays/:stayId/movements', {
    preHandler: guard,
    schema: {
      tags, security: staffSecurity, params: stayParams, summary: 'Movement history of a stay (入退所履歴)',
      response: {
        200: { type: 'array', items: { type: 'object', properties: { stayId: { type: 'string' }, kind: { type: 'string' }, shelterId: { type: ['string', 'null'] }, toShelterId: { type: ['string', 'null'] }, at: { type: 'string' }, actor: { type: 'string' } } } },
        ...problems(401, 403, 404),
      },
    },
  }, async (req) => svc.movements(caller(req), req.params.code, req.params.stayId));

  const rosterQuery = {
    type: 'object', additionalProperties: false,
    properties: { q: { type: 'string', maxLength: 100 }, status: { type: 'string', enum: ['in', 'out', 'all'] }, need: { type: 'string', enum: NEEDS } },
  } as const;
  app.get<{ Params: { code: string; shelterId: string }; Querystring: { q?: string; status?: 'in' | 'out' | 'all'; need?: Need } }>('/api/municipalities/:code/shelters/:shelterId/roster', {
    preHandler: guard,
    schema: {
      tags, security: staffSecurity, params: shelterParams, querystring: rosterQuery,
      summary: 'The shelter roster (名簿): people in or temporarily out, with names where they may be shown (vault reads audited)',
      response: { 200: { type: 'array', items: { ...evacueeView, properties: { ...evacueeView.properties, stay: stayView } } }, ...problems(400, 401, 403, 404) },
    },
  }, async (req) => svc.roster(caller(req), req.params.code, req.params.shelterId, req.query));

  app.get<{ Params: { code: string; shelterId: string } }>('/api/municipalities/:code/shelters/:shelterId/roster.csv', {
    preHandler: guard,
    schema: { tags, security: staffSecurity, params: shelterParams, summary: 'The roster as CSV (UTF-8 with BOM) for the paper fallback', produces: ['text/csv'],
      response: { 200: { description: 'CSV (UTF-8 with BOM)', content: { 'text/csv': { schema: { type: 'string' } } } }, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' } } },
  }, async (req, reply) => {
    const { filename, csv } = await svc.rosterCsv(caller(req), req.params.code, req.params.shelterId);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).header('cache-control', 'no-store').send(csv);
  });

  app.get('/api/resident/me/outside-stay', {
    preHandler: residentGuard,
    schema: { tags, security: residentSecurity, summary: 'My current report of staying outside a shelter', response: { 200: stayView, ...problems(401, 404) } },
  }, async (req) => {
    const s = await svc.outsideStay(residentOf(req));
    if (!s) throw ShelterErrors['stay-not-found']();
    return s;
  });

  app.post<{ Body: OutsideStayInput }>('/api/resident/me/outside-stay', {
    preHandler: residentGuard,
    schema: {
      tags, security: residentSecurity, summary: 'Report staying outside a shelter (在宅・車中泊・テント): counted by disaster HQ',
      body: {
        type: 'object', additionalProperties: false, required: ['idempotencyKey', 'place'],
        properties: {
          idempotencyKey: keySchema, place: { type: 'string', enum: ['home', 'car', 'tent', 'other'] },
          carPlate: { type: 'string', maxLength: 40 }, carModel: { type: 'string', maxLength: 60 }, note: { type: 'string', maxLength: 500 },
        },
      },
      response: { 200: stayView, 201: stayView, ...problems(400, 401, 403, 409) },
    },
  }, async (req, reply) => {
    const r = await svc.reportOutside(residentOf(req), req.body, req.id);
    return reply.code(r.created ? 201 : 200).send(r.stay);
  });

  app.delete('/api/resident/me/outside-stay', {
    preHandler: residentGuard,
    schema: { tags, security: residentSecurity, summary: 'End my outside-shelter report', response: { 204: { type: 'null' }, ...problems(401, 404) } },
  }, async (req, reply) => {
    await svc.endOutside(residentOf(req));
    return reply.code(204).send();
  });
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { principal } from '../kernel/http/auth.js';
import { municipalityCodeSchema, staffSecurity, uuidSchema } from '../kernel/http/schemas.js';
import type { ShelterRouteDeps } from './index.js';
import { SUPPLY_ORDER_STATUSES } from './schema.js';
import type { SupplyStatus } from './supplyRepository.js';
import type { SupplyCaller, SupplyRequestInput } from './supplyService.js';

const tags = ['shelter'];
const problems = (...codes: number[]) => Object.fromEntries(codes.map((s) => [s, { $ref: 'Problem#' }]));
const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const statusSchema = { type: 'string', enum: SUPPLY_ORDER_STATUSES } as const;
const quantity = { type: 'integer', minimum: 0, maximum: 10_000_000 } as const;
const keySchema = { type: 'string', minLength: 8, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$', description: 'Client-generated idempotency key (UUID recommended)' } as const;
const codeParams = { type: 'object', additionalProperties: false, required: ['code'], properties: { code: municipalityCodeSchema } } as const;

const supplyItem = {
  type: 'object',
  properties: {
    code: str, nameJa: str, nameEn: str, unitJa: str, unitEn: str,
    perPersonPerDay: { type: ['number', 'null'] }, forNeed: { type: ['string', 'null'] },
  },
} as const;

const supplyRequestView = {
  type: 'object',
  properties: {
    id: str, shelterId: str, shelterNameJa: str, shelterNameEn: str, disasterId: nullableStr, itemCode: str, needed: int, inStock: int,
    stockStatus: { type: 'string', enum: ['ok', 'short'] }, status: statusSchema, note: str, requestedBy: str, createdAt: str, updatedAt: str,
    orderedAt: nullableStr, shippedAt: nullableStr, receivedAt: nullableStr,
  },
} as const;

const supplyEstimate = {
  type: 'object',
  properties: {
    days: int,
    rows: {
      type: 'array',
      items: { type: 'object', properties: { shelterId: str, itemCode: str, present: int, estimated: int, requested: int } },
    },
  },
} as const;

export function supplyRoutes(app: FastifyInstance, deps: ShelterRouteDeps) {
  const { supplies: svc, guard } = deps;
  const caller = (req: FastifyRequest): SupplyCaller => ({ staff: principal(req), requestId: req.id });

  // Public: the catalogue is not personal data, and kiosks show it before login.
  app.get('/api/shelter-supplies/catalogue', {
    schema: { tags, summary: 'Supply catalogue (物資品目)', response: { 200: { type: 'array', items: supplyItem } } },
  }, async () => svc.catalogue());

  app.post<{ Params: { code: string; shelterId: string }; Body: SupplyRequestInput }>('/api/municipalities/:code/shelters/:shelterId/supply-requests', {
    preHandler: guard,
    schema: {
      tags, security: staffSecurity, summary: 'A shelter requests supplies (物資要請). Idempotent on idempotencyKey.',
      params: { type: 'object', additionalProperties: false, required: ['code', 'shelterId'], properties: { code: municipalityCodeSchema, shelterId: uuidSchema } },
      body: {
        type: 'object', additionalProperties: false, required: ['idempotencyKey', 'itemCode', 'needed', 'inStock', 'stockStatus'],
        properties: {
          idempotencyKey: keySchema, itemCode: { type: 'string', minLength: 1, maxLength: 64 }, needed: { ...quantity, minimum: 1 }, inStock: quantity,
          stockStatus: { type: 'string', enum: ['ok', 'short'] }, note: { type: 'string', maxLength: 500 },
        },
      },
      response: { 200: supplyRequestView, 201: supplyRequestView, ...problems(400, 401, 403, 404, 409, 422) },
    },
  }, async (req, reply) => {
    const { created, request } = await svc.request(caller(req), req.params.code, req.params.shelterId, req.body);
    return reply.code(created ? 201 : 200).send(request);
  });

  app.get<{ Params: { code: string }; Querystring: { status?: SupplyStatus; shelterId?: string } }>('/api/municipalities/:code/supply-requests', {
    preHandler: guard,
    schema: {
      tags, security: staffSecurity, summary: 'Supply requests of the municipality\'s shelters, newest first',
      params: codeParams,
      querystring: { type: 'object', additionalProperties: false, properties: { status: statusSchema, shelterId: uuidSchema } },
      response: { 200: { type: 'array', items: supplyRequestView }, ...problems(400, 401, 403) },
    },
  }, async (req) => svc.list(principal(req), req.params.code, req.query));

  app.patch<{ Params: { code: string; requestId: string }; Body: { status: SupplyStatus } }>('/api/municipalities/:code/supply-requests/:requestId', {
    preHandler: guard,
    schema: {
      tags, security: staffSecurity, summary: 'HQ moves a supply order along: requested → ordered → shipped → received, or cancelled before received',
      params: { type: 'object', additionalProperties: false, required: ['code', 'requestId'], properties: { code: municipalityCodeSchema, requestId: uuidSchema } },
      body: { type: 'object', additionalProperties: false, required: ['status'], properties: { status: statusSchema } },
      response: { 200: supplyRequestView, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (req) => svc.transition(caller(req), req.params.code, req.params.requestId, req.body.status));

  app.get<{ Params: { code: string }; Querystring: { days?: number } }>('/api/municipalities/:code/supplies/estimate', {
    preHandler: guard,
    schema: {
      tags, security: staffSecurity, summary: 'Supply demand for the people present in each open shelter, for `days` days, beside open requests',
      params: codeParams,
      querystring: { type: 'object', additionalProperties: false, properties: { days: { type: 'integer', minimum: 1, maximum: 30, default: 3 } } },
      response: { 200: supplyEstimate, ...problems(400, 401, 403) },
    },
  }, async (req) => svc.estimate(principal(req), req.params.code, req.query.days ?? 3));
}

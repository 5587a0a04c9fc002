import type { FastifyRequest } from 'fastify';
import { principal } from '../../kernel/http/auth.js';
import { MunicipalityCode, Strict, StringEnum, Type, Uuid, type App } from '../../kernel/http/contract.js';
import { staffSecurity } from '../../kernel/http/schemas.js';
import { SupplyEstimate, SupplyItem, SupplyOrderStatus, SupplyRequestView } from '../contract.js';
import type { ShelterRouteDeps } from '../index.js';
import type { SupplyCaller } from './service.js';

const tags = ['shelter'];
const problems = (...codes: number[]) => Object.fromEntries(codes.map((s) => [s, { $ref: 'Problem#' }]));
const quantity = (minimum: number) => Type.Integer({ minimum, maximum: 10_000_000 });
const keySchema = Type.String({ minLength: 8, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$', description: 'Client-generated idempotency key (UUID recommended)' });
const code = MunicipalityCode;
const uuid = Uuid;
const codeParams = Strict({ code });

export function supplyRoutes(app: App, deps: ShelterRouteDeps) {
  const { supplies: svc, guard } = deps;
  const caller = (req: FastifyRequest): SupplyCaller => ({ staff: principal(req), requestId: req.id });

  // Public: the catalogue is not personal data, and kiosks show it before login.
  app.get('/api/shelter-supplies/catalogue', {
    schema: { tags, summary: 'Supply catalogue (物資品目)', response: { 200: Type.Array(SupplyItem) } },
  }, async () => [...(await svc.catalogue())]);

  app.post('/api/municipalities/:code/shelters/:shelterId/supply-requests', {
    preHandler: guard,
    schema: {
      tags, security: staffSecurity, summary: 'A shelter requests supplies (物資要請). Idempotent on idempotencyKey.',
      params: Strict({ code, shelterId: uuid }),
      body: Strict({
        idempotencyKey: keySchema, itemCode: Type.String({ minLength: 1, maxLength: 64 }), needed: quantity(1), inStock: quantity(0),
        stockStatus: StringEnum(['ok', 'short'] as const), note: Type.Optional(Type.String({ maxLength: 500 })),
      }),
      response: { 200: SupplyRequestView, 201: SupplyRequestView, ...problems(400, 401, 403, 404, 409, 422) },
    },
  }, async (req, reply) => {
    const { created, request } = await svc.request(caller(req), req.params.code, req.params.shelterId, req.body);
    return reply.code(created ? 201 : 200).send(request);
  });

  app.get('/api/municipalities/:code/supply-requests', {
    preHandler: guard,
    schema: {
      tags, security: staffSecurity, summary: 'Supply requests of the municipality\'s shelters, newest first',
      params: codeParams,
      querystring: Strict({ status: Type.Optional(SupplyOrderStatus), shelterId: Type.Optional(uuid) }),
      response: { 200: Type.Array(SupplyRequestView), ...problems(400, 401, 403) },
    },
  }, async (req) => svc.list(principal(req), req.params.code, req.query));

  app.patch('/api/municipalities/:code/supply-requests/:requestId', {
    preHandler: guard,
    schema: {
      tags, security: staffSecurity, summary: 'HQ moves a supply order along: requested → ordered → shipped → received, or cancelled before received',
      params: Strict({ code, requestId: uuid }),
      body: Strict({ status: SupplyOrderStatus }),
      response: { 200: SupplyRequestView, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (req) => svc.transition(caller(req), req.params.code, req.params.requestId, req.body.status));

  app.get('/api/municipalities/:code/supplies/estimate', {
    preHandler: guard,
    schema: {
      tags, security: staffSecurity, summary: 'Supply demand for the people present in each open shelter, for `days` days, beside open requests',
      params: codeParams,
      querystring: Strict({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 30, default: 3 })) }),
      response: { 200: SupplyEstimate, ...problems(400, 401, 403) },
    },
  }, async (req) => svc.estimate(principal(req), req.params.code, req.query.days ?? 3));
}

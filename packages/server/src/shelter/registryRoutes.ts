// HTTP routes of the shelter registry, disasters and opening, and the public open data CSV.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { principal } from '../kernel/http/auth.js';
import { codeParams, municipalityCodeSchema, staffSecurity, uuidSchema } from '../kernel/http/schemas.js';
import type { ShelterRouteDeps } from './index.js';
import type { RegistryCaller, ShelterInput, DisasterInput } from './registryService.js';
import type { ShelterRecord } from './openData.js';
import { DISASTER_KINDS, HAZARDS, SHELTER_KINDS, SHELTER_STATUSES, type ShelterStatus } from './schema.js';

const tags = ['shelter'];
const problems = Object.fromEntries([400, 401, 403, 404, 409, 413, 415, 422].map((s) => [s, { $ref: 'Problem#' }]));
const decimal = { type: ['string', 'null'], pattern: '^-?[0-9]+(\\.[0-9]+)?$', maxLength: 20 } as const;
const count = { type: ['integer', 'null'], minimum: 0, maximum: 2_000_000_000 } as const;
const text = (maxLength: number) => ({ type: 'string', maxLength } as const);

const shelterFields = {
  nationalId: { type: ['string', 'null'], pattern: '^[0-9A-Za-z]{14}$' },
  nameJa: { type: 'string', minLength: 1, maxLength: 200 },
  nameKana: text(200), nameEn: text(200), address: text(500),
  latitude: decimal, longitude: decimal, elevation: decimal, phone: text(50),
  hazards: { type: 'array', maxItems: HAZARDS.length, uniqueItems: true, items: { type: 'string', enum: [...HAZARDS] } },
  alsoEvacuationCentre: { type: 'boolean' },
  kind: { type: 'string', enum: [...SHELTER_KINDS] },
  capacity: count, capacityNight: count, targetArea: text(1000), url: text(1000), note: text(2000),
} as const;

const shelterView = {
  type: 'object',
  properties: {
    id: { type: 'string' }, municipalityCode: { type: 'string' }, localId: { type: 'string' },
    nationalId: { type: ['string', 'null'] }, nameJa: { type: 'string' }, nameKana: { type: 'string' }, nameEn: { type: 'string' },
    address: { type: 'string' }, latitude: { type: ['string', 'null'] }, longitude: { type: ['string', 'null'] },
    elevation: { type: ['string', 'null'] }, phone: { type: 'string' }, hazards: { type: 'array', items: { type: 'string' } },
    alsoEvacuationCentre: { type: 'boolean' }, kind: { type: 'string' }, capacity: { type: ['integer', 'null'] },
    capacityNight: { type: ['integer', 'null'] }, targetArea: { type: 'string' }, url: { type: 'string' }, note: { type: 'string' },
    status: { type: 'string' }, disasterId: { type: ['string', 'null'] }, statusChangedAt: { type: 'string' },
  },
} as const;

const disasterView = {
  type: 'object',
  properties: {
    id: { type: 'string' }, municipalityCode: { type: 'string' }, kind: { type: 'string' }, nameJa: { type: 'string' },
    nameEn: { type: 'string' }, area: { type: 'string' }, declaredAt: { type: 'string' }, declaredBy: { type: 'string' },
    endedAt: { type: ['string', 'null'] },
  },
} as const;

const importReport = {
  type: 'object',
  properties: {
    created: { type: 'integer' }, updated: { type: 'integer' }, unchanged: { type: 'integer' }, dryRun: { type: 'boolean' },
    errors: { type: 'array', items: { type: 'object', properties: { row: { type: 'integer' }, column: { type: 'string' }, message: { type: 'object', properties: { ja: { type: 'string' }, en: { type: 'string' } } } } } },
  },
} as const;

const shelterParams = {
  type: 'object', additionalProperties: false, required: ['code', 'shelterId'], properties: { code: municipalityCodeSchema, shelterId: uuidSchema },
} as const;
const disasterParams = {
  type: 'object', additionalProperties: false, required: ['code', 'disasterId'], properties: { code: municipalityCodeSchema, disasterId: uuidSchema },
} as const;

export function registryRoutes(app: FastifyInstance, deps: ShelterRouteDeps) {
  const { registry: svc, guard } = deps;
  const caller = (req: FastifyRequest): RegistryCaller => ({ staff: principal(req), requestId: req.id });

  app.get<{ Params: { code: string } }>('/api/municipalities/:code/shelters', {
    preHandler: guard,
    schema: { tags, summary: 'The shelter registry of a municipality, with operational status', security: staffSecurity, params: codeParams,
      response: { 200: { type: 'array', items: shelterView }, ...problems } },
  }, async (req) => svc.list(principal(req), req.params.code));

  app.post<{ Params: { code: string }; Body: ShelterInput }>('/api/municipalities/:code/shelters', {
    preHandler: guard,
    schema: { tags, summary: 'Register one shelter (disaster HQ)', security: staffSecurity, params: codeParams,
      body: { type: 'object', additionalProperties: false, required: ['localId', 'nameJa'], properties: { localId: { type: 'string', minLength: 1, maxLength: 100 }, ...shelterFields } },
      response: { 201: shelterView, ...problems } },
  }, async (req, reply) => reply.code(201).send(await svc.create(caller(req), req.params.code, req.body)));

  app.patch<{ Params: { code: string; shelterId: string }; Body: Partial<Omit<ShelterRecord, 'localId'>> }>('/api/municipalities/:code/shelters/:shelterId', {
    preHandler: guard,
    schema: { tags, summary: 'Edit a shelter of the registry (disaster HQ)', security: staffSecurity, params: shelterParams,
      body: { type: 'object', additionalProperties: false, minProperties: 1, properties: shelterFields },
      response: { 200: shelterView, ...problems } },
  }, async (req) => svc.update(caller(req), req.params.code, req.params.shelterId, req.body));

  // The CSV body is read as text only here: the rest of the API stays JSON-only.
  app.register(async (scope) => {
    scope.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
    scope.post<{ Params: { code: string }; Querystring: { dryRun?: boolean }; Body: string }>('/api/municipalities/:code/shelters/import', {
      preHandler: guard,
      schema: { tags, summary: 'Import the registry from the open data CSV 指定緊急避難場所一覧 (any row error: nothing imported)',
        security: staffSecurity, params: codeParams,
        querystring: { type: 'object', additionalProperties: false, properties: { dryRun: { type: 'boolean', default: false } } },
        consumes: ['text/csv'],
        body: { type: 'string', maxLength: 10_000_000, description: 'UTF-8 CSV (BOM tolerated), header row first; standard columns of 指定緊急避難場所一覧' },
        response: { 200: importReport, ...problems } },
    }, async (req) => svc.importCsv(caller(req), req.params.code, req.body, { dryRun: req.query.dryRun === true }));
  });

  app.get<{ Params: { code: string } }>('/api/municipalities/:code/shelters.csv', {
    schema: { tags, summary: 'Open data: 指定緊急避難場所一覧 as CSV (public, no login)', params: codeParams,
      produces: ['text/csv'], response: { 200: { description: 'CSV (UTF-8 with BOM)', content: { 'text/csv': { schema: { type: 'string' } } } }, 404: { $ref: 'Problem#' }, 400: { $ref: 'Problem#' } } },
  }, async (req, reply) => {
    const csv = await svc.exportCsv(req.params.code);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="shelters-${req.params.code}.csv"`)
      .header('cache-control', 'public, max-age=60')
      .send(csv);
  });

  app.get<{ Params: { code: string } }>('/api/municipalities/:code/disasters', {
    preHandler: guard,
    schema: { tags, summary: 'Declared disasters, newest first', security: staffSecurity, params: codeParams,
      response: { 200: { type: 'array', items: disasterView }, ...problems } },
  }, async (req) => svc.disasters(principal(req), req.params.code));

  app.post<{ Params: { code: string }; Body: DisasterInput }>('/api/municipalities/:code/disasters', {
    preHandler: guard,
    schema: { tags, summary: 'Declare a disaster (disaster HQ set up)', security: staffSecurity, params: codeParams,
      body: { type: 'object', additionalProperties: false, required: ['kind', 'nameJa'], properties: {
        kind: { type: 'string', enum: [...DISASTER_KINDS] }, nameJa: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' },
        nameEn: text(200), area: text(1000) } },
      response: { 201: disasterView, ...problems } },
  }, async (req, reply) => reply.code(201).send(await svc.declareDisaster(caller(req), req.params.code, req.body)));

  app.post<{ Params: { code: string; disasterId: string } }>('/api/municipalities/:code/disasters/:disasterId/end', {
    preHandler: guard,
    schema: { tags, summary: 'End a disaster; closes the shelters still open for it', security: staffSecurity, params: disasterParams,
      response: { 200: disasterView, ...problems } },
  }, async (req) => svc.endDisaster(caller(req), req.params.code, req.params.disasterId));

  app.put<{ Params: { code: string; shelterId: string }; Body: { status: ShelterStatus; disasterId?: string } }>('/api/municipalities/:code/shelters/:shelterId/status', {
    preHandler: guard,
    schema: { tags, summary: 'Open, mark full, request or close a shelter (opening needs an active disaster)', security: staffSecurity, params: shelterParams,
      body: { type: 'object', additionalProperties: false, required: ['status'], properties: { status: { type: 'string', enum: [...SHELTER_STATUSES] }, disasterId: uuidSchema } },
      response: { 200: shelterView, ...problems } },
  }, async (req) => svc.setStatus(caller(req), req.params.code, req.params.shelterId, req.body));

  app.get<{ Params: { code: string; shelterId: string }; Querystring: { disasterId?: string } }>('/api/municipalities/:code/shelters/:shelterId/status-history', {
    preHandler: guard,
    schema: { tags, summary: 'Status changes of a shelter, oldest first (optionally of one disaster)', security: staffSecurity, params: shelterParams,
      querystring: { type: 'object', additionalProperties: false, properties: { disasterId: uuidSchema } },
      response: { 200: { type: 'array', items: { type: 'object', properties: {
        shelterId: { type: 'string' }, disasterId: { type: ['string', 'null'] }, status: { type: 'string' }, at: { type: 'string' }, actor: { type: 'string' } } } }, ...problems } },
  }, async (req) => svc.statusHistory(principal(req), req.params.code, req.params.shelterId, req.query.disasterId));
}

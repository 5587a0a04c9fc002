// HTTP routes of the shelter registry, disasters and opening, and the public open data CSV.
import type { FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { principal } from '../../kernel/http/auth.js';
import { MunicipalityCode, Strict, Type, Uuid, type App } from '../../kernel/http/contract.js';
import { staffSecurity } from '../../kernel/http/schemas.js';
import { CsvImportReport, DisasterKind, DisasterView, Hazard, ShelterKind, ShelterStatus, ShelterStatusEventView, ShelterView } from '../contract.js';
import type { ShelterRouteDeps } from '../index.js';
import type { RegistryCaller } from './service.js';
import { HAZARDS } from '../schema.js';

const tags = ['shelter'];
const problems = Object.fromEntries([400, 401, 403, 404, 409, 413, 415, 422].map((s) => [s, { $ref: 'Problem#' }]));
const decimal = Type.Unsafe<string | null>({ type: ['string', 'null'], pattern: '^-?[0-9]+(\\.[0-9]+)?$', maxLength: 20 });
const count = Type.Unsafe<number | null>({ type: ['integer', 'null'], minimum: 0, maximum: 2_000_000_000 });
const text = (maxLength: number) => Type.String({ maxLength });

const shelterFields = {
  nationalId: Type.Unsafe<string | null>({ type: ['string', 'null'], pattern: '^[0-9A-Za-z]{14}$' }),
  nameJa: Type.String({ minLength: 1, maxLength: 200 }),
  nameKana: text(200), nameEn: text(200), address: text(500),
  latitude: decimal, longitude: decimal, elevation: decimal, phone: text(50),
  hazards: Type.Array(Hazard, { maxItems: HAZARDS.length, uniqueItems: true }),
  alsoEvacuationCentre: Type.Boolean(),
  kind: ShelterKind,
  capacity: count, capacityNight: count, targetArea: text(1000), url: text(1000), note: text(2000),
};
const optional = <T extends Record<string, import('@sinclair/typebox').TSchema>>(fields: T) =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, Type.Optional(v)])) as { [K in keyof T]: import('@sinclair/typebox').TOptional<T[K]> };

const code = MunicipalityCode;
const uuid = Uuid;
const codeParams = Strict({ code });
const shelterParams = Strict({ code, shelterId: uuid });
const disasterParams = Strict({ code, disasterId: uuid });

export function registryRoutes(app: App, deps: ShelterRouteDeps) {
  const { registry: svc, guard } = deps;
  const caller = (req: FastifyRequest): RegistryCaller => ({ staff: principal(req), requestId: req.id });

  app.get('/api/municipalities/:code/shelters', {
    preHandler: guard,
    schema: { tags, summary: 'The shelter registry of a municipality, with operational status', security: staffSecurity, params: codeParams,
      response: { 200: Type.Array(ShelterView), ...problems } },
  }, async (req) => svc.list(principal(req), req.params.code));

  app.post('/api/municipalities/:code/shelters', {
    preHandler: guard,
    schema: { tags, summary: 'Register one shelter (disaster HQ)', security: staffSecurity, params: codeParams,
      body: Strict({ localId: Type.String({ minLength: 1, maxLength: 100 }), ...optional(shelterFields), nameJa: shelterFields.nameJa }),
      response: { 201: ShelterView, ...problems } },
  }, async (req, reply) => reply.code(201).send(await svc.create(caller(req), req.params.code, req.body)));

  app.patch('/api/municipalities/:code/shelters/:shelterId', {
    preHandler: guard,
    schema: { tags, summary: 'Edit a shelter of the registry (disaster HQ)', security: staffSecurity, params: shelterParams,
      body: Strict(optional(shelterFields), { minProperties: 1 }),
      response: { 200: ShelterView, ...problems } },
  }, async (req) => svc.update(caller(req), req.params.code, req.params.shelterId, req.body));

  // The CSV body is read as text only here: the rest of the API stays JSON-only.
  app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    scope.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
    scope.post('/api/municipalities/:code/shelters/import', {
      preHandler: guard,
      schema: { tags, summary: 'Import the registry from the open data CSV 指定緊急避難場所一覧 (any row error: nothing imported)',
        security: staffSecurity, params: codeParams,
        querystring: Strict({ dryRun: Type.Optional(Type.Boolean({ default: false })) }),
        consumes: ['text/csv'],
        body: Type.String({ maxLength: 10_000_000, description: 'UTF-8 CSV (BOM tolerated), header row first; standard columns of 指定緊急避難場所一覧' }),
        response: { 200: CsvImportReport, ...problems } },
    }, async (req) => svc.importCsv(caller(req), req.params.code, req.body, { dryRun: req.query.dryRun === true }));
  });

  app.get('/api/municipalities/:code/shelters.csv', {
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

  app.get('/api/municipalities/:code/disasters', {
    preHandler: guard,
    schema: { tags, summary: 'Declared disasters, newest first', security: staffSecurity, params: codeParams,
      response: { 200: Type.Array(DisasterView), ...problems } },
  }, async (req) => svc.disasters(principal(req), req.params.code));

  app.post('/api/municipalities/:code/disasters', {
    preHandler: guard,
    schema: { tags, summary: 'Declare a disaster (disaster HQ set up)', security: staffSecurity, params: codeParams,
      body: Strict({ kind: DisasterKind, nameJa: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }), nameEn: Type.Optional(text(200)), area: Type.Optional(text(1000)) }),
      response: { 201: DisasterView, ...problems } },
  }, async (req, reply) => reply.code(201).send(await svc.declareDisaster(caller(req), req.params.code, req.body)));

  app.post('/api/municipalities/:code/disasters/:disasterId/end', {
    preHandler: guard,
    schema: { tags, summary: 'End a disaster; closes the shelters still open for it', security: staffSecurity, params: disasterParams,
      response: { 200: DisasterView, ...problems } },
  }, async (req) => svc.endDisaster(caller(req), req.params.code, req.params.disasterId));

  app.put('/api/municipalities/:code/shelters/:shelterId/status', {
    preHandler: guard,
    schema: { tags, summary: 'Open, mark full, request or close a shelter (opening needs an active disaster)', security: staffSecurity, params: shelterParams,
      body: Strict({ status: ShelterStatus, disasterId: Type.Optional(uuid) }),
      response: { 200: ShelterView, ...problems } },
  }, async (req) => svc.setStatus(caller(req), req.params.code, req.params.shelterId, req.body));

  app.get('/api/municipalities/:code/shelters/:shelterId/status-history', {
    preHandler: guard,
    schema: { tags, summary: 'Status changes of a shelter, oldest first (optionally of one disaster)', security: staffSecurity, params: shelterParams,
      querystring: Strict({ disasterId: Type.Optional(uuid) }),
      response: { 200: Type.Array(ShelterStatusEventView), ...problems } },
  }, async (req) => svc.statusHistory(principal(req), req.params.code, req.params.shelterId, req.query.disasterId));
}

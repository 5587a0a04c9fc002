import type { FastifyRequest } from 'fastify';
import { principal, SESSION_COOKIE } from '../../kernel/http/auth.js';
import { MunicipalityCode, Strict, StringEnum, Type, Uuid, type App } from '../../kernel/http/contract.js';
import { staffSecurity } from '../../kernel/http/schemas.js';
import { residentOf } from '../../kernel/residentCaller.js';
import { certificateSchema, CheckInRequest, CheckInResult, MovementRequest, MovementView, Need, OutsideStayInput, RosterEntry, StayView, TouchResult } from '../contract.js';
import { ShelterErrors } from '../errors.js';
import type { ShelterRouteDeps } from '../index.js';
import type { StaffCaller } from './common.js';

const problems = (...codes: number[]) => Object.fromEntries(codes.map((s) => [s, { $ref: 'Problem#' }]));
const tags = ['shelter'];
const residentSecurity = [{ residentSession: [] }];
const uuid = Uuid;
const code = MunicipalityCode;
const shelterParams = Strict({ code, shelterId: uuid });
const stayParams = Strict({ code, stayId: uuid });

/** Check-in, movements, roster (staff) and the resident's outside-shelter report. */
export function stayRoutes(app: App, deps: ShelterRouteDeps) {
  const { stays: svc, guard, residentGuard } = deps;
  const caller = (req: FastifyRequest): StaffCaller => ({ staff: principal(req), sessionToken: req.cookies[SESSION_COOKIE] ?? '', requestId: req.id });

  app.post('/api/municipalities/:code/shelters/:shelterId/touch', {
    preHandler: guard,
    schema: {
      tags, summary: 'A card touched at the shelter kiosk: the holder and their household (own municipality or a joint-use partner)', security: staffSecurity,
      params: shelterParams,
      body: Strict({ certificate: certificateSchema, challengeId: Type.Optional(uuid), signature: Type.Optional(Type.String({ minLength: 16, maxLength: 2048 })) }),
      response: { 200: TouchResult, ...problems(400, 401, 403, 404, 409, 410, 422, 424) },
    },
  }, async (req) => svc.touch(caller(req), req.params.code, req.params.shelterId, req.body));

  app.post('/api/municipalities/:code/shelters/:shelterId/stays', {
    preHandler: guard,
    schema: {
      tags, security: staffSecurity, params: shelterParams,
      summary: 'Check in (入所): pre-registered people, a card read (offline queue), a personal QR, or a walk-in. Idempotent on idempotencyKey.',
      body: CheckInRequest,
      response: { 200: CheckInResult, 201: CheckInResult, ...problems(400, 401, 403, 404, 409, 410, 422, 424) },
    },
  }, async (req, reply) => {
    const result = await svc.checkIn(caller(req), req.params.code, req.params.shelterId, req.body);
    return reply.code(result.created ? 201 : 200).send(result);
  });

  app.post('/api/municipalities/:code/stays/:stayId/movements', {
    preHandler: guard,
    schema: {
      tags, security: staffSecurity, params: stayParams,
      summary: 'Temporarily out, back, check out (退所) or transfer to another shelter. Idempotent on idempotencyKey.',
      body: MovementRequest,
      response: { 200: StayView, ...problems(400, 401, 403, 404, 409, 422) },
    },
  }, async (req) => svc.move(caller(req), req.params.code, req.params.stayId, req.body));

  app.get('/api/municipalities/:code/stays/:stayId/movements', {
    preHandler: guard,
    schema: {
      tags, security: staffSecurity, params: stayParams, summary: 'Movement history of a stay (入退所履歴)',
      response: { 200: Type.Array(MovementView), ...problems(401, 403, 404) },
    },
  }, async (req) => svc.movements(caller(req), req.params.code, req.params.stayId));

  app.get('/api/municipalities/:code/shelters/:shelterId/roster', {
    preHandler: guard,
    schema: {
      tags, security: staffSecurity, params: shelterParams,
      querystring: Strict({ q: Type.Optional(Type.String({ maxLength: 100 })), status: Type.Optional(StringEnum(['in', 'out', 'all'] as const)), need: Type.Optional(Need) }),
      summary: 'The shelter roster (名簿): people in or temporarily out, with names where they may be shown (vault reads audited)',
      response: { 200: Type.Array(RosterEntry), ...problems(400, 401, 403, 404) },
    },
  }, async (req) => svc.roster(caller(req), req.params.code, req.params.shelterId, req.query));

  app.get('/api/municipalities/:code/shelters/:shelterId/roster.csv', {
    preHandler: guard,
    schema: {
      tags, security: staffSecurity, params: shelterParams, summary: 'The roster as CSV (UTF-8 with BOM) for the paper fallback', produces: ['text/csv'],
      response: { 200: { description: 'CSV (UTF-8 with BOM)', content: { 'text/csv': { schema: { type: 'string' } } } }, ...problems(401, 403, 404) },
    },
  }, async (req, reply) => {
    const { filename, csv } = await svc.rosterCsv(caller(req), req.params.code, req.params.shelterId);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).header('cache-control', 'no-store').send(csv);
  });

  app.get('/api/resident/me/outside-stay', {
    preHandler: residentGuard,
    schema: { tags, security: residentSecurity, summary: 'My current report of staying outside a shelter', response: { 200: StayView, ...problems(401, 404) } },
  }, async (req) => {
    const s = await svc.outsideStay(residentOf(req));
    if (!s) throw ShelterErrors['stay-not-found']();
    return s;
  });

  app.post('/api/resident/me/outside-stay', {
    preHandler: residentGuard,
    schema: {
      tags, security: residentSecurity, summary: 'Report staying outside a shelter (在宅・車中泊・テント): counted by disaster HQ',
      body: OutsideStayInput,
      response: { 200: StayView, 201: StayView, ...problems(400, 401, 403, 409) },
    },
  }, async (req, reply) => {
    const r = await svc.reportOutside(residentOf(req), req.body, req.id);
    return reply.code(r.created ? 201 : 200).send(r.stay);
  });

  app.delete('/api/resident/me/outside-stay', {
    preHandler: residentGuard,
    schema: { tags, security: residentSecurity, summary: 'End my outside-shelter report', response: { 204: Type.Null({ description: 'Ended' }), ...problems(401, 404) } },
  }, async (req, reply) => {
    await svc.endOutside(residentOf(req));
    return reply.code(204).send(null);
  });
}

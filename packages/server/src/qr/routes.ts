import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { principal } from '../kernel/http/auth.js';
import { codeParams, municipalityCodeSchema, staffSecurity, uuidSchema } from '../kernel/http/schemas.js';
import type { QrCaller, QrService } from './service.js';

const problems = Object.fromEntries([400, 401, 403, 404, 409, 410, 429].map((s) => [s, { $ref: 'Problem#' }]));
const residentParams = { type: 'object', additionalProperties: false, required: ['code', 'id'], properties: { code: municipalityCodeSchema, id: uuidSchema } } as const;
const cardParams = { type: 'object', additionalProperties: false, required: ['code', 'cardId'], properties: { code: municipalityCodeSchema, cardId: uuidSchema } } as const;

export function qrRoutes(app: FastifyInstance, deps: { qr: QrService; guard: preHandlerAsyncHookHandler; rateLimit: number }) {
  const { qr: svc, guard } = deps;
  const tags = ['qr'];
  const caller = (req: FastifyRequest): QrCaller => ({ staff: principal(req), requestId: req.id });

  app.post<{ Params: { code: string; id: string } }>('/api/municipalities/:code/residents/:id/qr-tokens', {
    preHandler: guard,
    schema: {
      tags, summary: 'A fresh rotating personal QR token (short-lived, accepted once)', security: staffSecurity, params: residentParams,
      response: { 201: { type: 'object', properties: { token: { type: 'string' }, expiresAt: { type: 'string' }, refreshInSeconds: { type: 'integer' } } }, ...problems },
    },
  }, async (req, reply) => reply.code(201).send(await svc.issueToken(caller(req), req.params.code, req.params.id)));

  app.post<{ Params: { code: string; id: string } }>('/api/municipalities/:code/residents/:id/qr-cards', {
    preHandler: guard,
    schema: {
      tags, summary: 'Issue a printable static QR card (no expiry, revocable)', security: staffSecurity, params: residentParams,
      response: { 201: { type: 'object', properties: { cardId: { type: 'string' }, token: { type: 'string' } } }, ...problems },
    },
  }, async (req, reply) => reply.code(201).send(await svc.issueCard(caller(req), req.params.code, req.params.id)));

  app.post<{ Params: { code: string; cardId: string } }>('/api/municipalities/:code/qr-cards/:cardId/revoke', {
    preHandler: guard,
    schema: {
      tags, summary: 'Revoke a static QR card with immediate effect', security: staffSecurity, params: cardParams,
      response: { 200: { type: 'object', properties: { cardId: { type: 'string' }, revokedAt: { type: 'string' } } }, ...problems },
    },
  }, async (req) => svc.revokeCard(caller(req), req.params.code, req.params.cardId));

  app.post<{ Params: { code: string }; Body: { token: string } }>('/api/municipalities/:code/qr/validate', {
    preHandler: guard,
    config: { rateLimit: { max: deps.rateLimit, timeWindow: '1 minute' } },
    schema: {
      tags, summary: 'Validate a scanned personal QR code (rate limited; audited)', security: staffSecurity, params: codeParams,
      body: { type: 'object', additionalProperties: false, required: ['token'], properties: { token: { type: 'string', minLength: 1, maxLength: 512 } } },
      response: {
        200: { type: 'object', properties: { residentId: { type: 'string' }, residentNumber: { type: 'string' }, kind: { type: 'string', enum: ['rotating', 'card'] } } },
        ...problems,
      },
    },
  }, async (req) => svc.validate(caller(req), req.params.code, req.body.token));
}

import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { principal } from '../kernel/http/auth.js';
import { MunicipalityCode, Strict, Uuid, type App } from '../kernel/http/contract.js';
import { staffSecurity } from '../kernel/http/schemas.js';
import { QrCardRevoked, QrCardView, QrTokenView, QrValidateRequest, QrValidation } from './contract.js';
import type { QrCaller, QrService } from './service.js';

const problems = Object.fromEntries([400, 401, 403, 404, 409, 410, 429].map((s) => [s, { $ref: 'Problem#' }]));
const code = MunicipalityCode;
const uuid = Uuid;
const residentParams = Strict({ code, id: uuid });
const cardParams = Strict({ code, cardId: uuid });

export function qrRoutes(app: App, deps: { qr: QrService; guard: preHandlerAsyncHookHandler; rateLimit: number }) {
  const { qr: svc, guard } = deps;
  const tags = ['qr'];
  const caller = (req: FastifyRequest): QrCaller => ({ staff: principal(req), requestId: req.id });

  app.post('/api/municipalities/:code/residents/:id/qr-tokens', {
    preHandler: guard,
    schema: {
      tags, summary: 'A fresh rotating personal QR token (short-lived, accepted once)', security: staffSecurity, params: residentParams,
      response: { 201: QrTokenView, ...problems },
    },
  }, async (req, reply) => reply.code(201).send(await svc.issueToken(caller(req), req.params.code, req.params.id)));

  app.post('/api/municipalities/:code/residents/:id/qr-cards', {
    preHandler: guard,
    schema: {
      tags, summary: 'Issue a printable static QR card (no expiry, revocable)', security: staffSecurity, params: residentParams,
      response: { 201: QrCardView, ...problems },
    },
  }, async (req, reply) => reply.code(201).send(await svc.issueCard(caller(req), req.params.code, req.params.id)));

  app.post('/api/municipalities/:code/qr-cards/:cardId/revoke', {
    preHandler: guard,
    schema: {
      tags, summary: 'Revoke a static QR card with immediate effect', security: staffSecurity, params: cardParams,
      response: { 200: QrCardRevoked, ...problems },
    },
  }, async (req) => svc.revokeCard(caller(req), req.params.code, req.params.cardId));

  app.post('/api/municipalities/:code/qr/validate', {
    preHandler: guard,
    config: { rateLimit: { max: deps.rateLimit, timeWindow: '1 minute' } },
    schema: {
      tags, summary: 'Validate a scanned personal QR code (rate limited; audited)', security: staffSecurity, params: Strict({ code }),
      body: QrValidateRequest,
      response: { 200: QrValidation, ...problems },
    },
  }, async (req) => svc.validate(caller(req), req.params.code, req.body.token));
}

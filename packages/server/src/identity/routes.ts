import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import { principal, SESSION_COOKIE } from '../kernel/http/auth.js';
import { codeParams, municipalityCodeSchema, staffSecurity, uuidSchema } from '../kernel/http/schemas.js';
import { Type } from '../kernel/http/contract.js';
import { CardBindingView, ChallengeView, VerifiedCard } from './contract.js';
import { staffCounter, type Counter, type IdentityService, type VerifyInput } from './service.js';

const purposeSchema = {
  type: 'string', pattern: '^[a-z0-9][a-z0-9._:-]{1,63}$',
  description: 'What the touch is for, e.g. `shelter.checkin`; the challenge is bound to it and the audit trail records it',
} as const;
const base64 = (maxLength: number, description: string) => ({ type: 'string', minLength: 4, maxLength, pattern: '^[A-Za-z0-9+/_-]+={0,2}$', description }) as const;
export const touchProperties = (purpose: object) => ({
  challengeId: { type: 'string', format: 'uuid' },
  purpose,
  certificate: base64(16384, 'The user-authentication certificate (EF 000A), base64 DER'),
  signature: base64(2048, 'RSASSA-PKCS1-v1_5 SHA-256 signature of the challenge bytes, base64'),
}) as const;
const residentParams = { type: 'object', additionalProperties: false, required: ['code', 'id'], properties: { code: municipalityCodeSchema, id: uuidSchema } } as const;
const problems = Object.fromEntries([400, 401, 403, 404, 409, 410, 422, 424].map((s) => [s, { $ref: 'Problem#' }]));

export function identityRoutes(app: FastifyInstance, deps: { identity: IdentityService; guard: preHandlerAsyncHookHandler }) {
  const { identity: svc, guard } = deps;
  const tags = ['identity'];
  const counter = (req: Parameters<preHandlerAsyncHookHandler>[0]): Counter => staffCounter(principal(req), req.cookies[SESSION_COOKIE]!, req.id);

  app.post<{ Params: { code: string }; Body: { purpose: string } }>('/api/municipalities/:code/identity/challenges', {
    preHandler: guard,
    schema: {
      tags, summary: 'A single-use challenge for one My Number Card touch, bound to the purpose and this session', security: staffSecurity, params: codeParams,
      body: { type: 'object', additionalProperties: false, required: ['purpose'], properties: { purpose: purposeSchema } },
      response: {
        201: ChallengeView,
        ...problems,
      },
    },
  }, async (req, reply) => reply.code(201).send(await svc.createChallenge(counter(req), req.params.code, req.body.purpose)));

  app.post<{ Params: { code: string }; Body: VerifyInput }>('/api/municipalities/:code/identity/verify', {
    preHandler: guard,
    schema: {
      tags,
      summary: 'Verify a card touch: the auth certificate (chain, validity, key, usage, revocation) and its signature over the challenge',
      security: staffSecurity, params: codeParams,
      body: {
        type: 'object', additionalProperties: false, required: ['challengeId', 'purpose', 'certificate', 'signature'],
        properties: {
          challengeId: { type: 'string', format: 'uuid' },
          purpose: purposeSchema,
          certificate: base64(16384, 'The user-authentication certificate (EF 000A), base64 DER'),
          signature: base64(2048, 'RSASSA-PKCS1-v1_5 SHA-256 signature of the challenge bytes, base64'),
        },
      },
      response: {
        200: VerifiedCard,
        ...problems,
      },
    },
  }, async (req) => svc.verify(counter(req), req.params.code, req.body));

  app.get<{ Params: { code: string; id: string } }>('/api/municipalities/:code/residents/:id/cards', {
    preHandler: guard,
    schema: { tags, summary: 'The cards a resident has had (active, suspended, replaced)', security: staffSecurity, params: residentParams, response: { 200: Type.Array(CardBindingView), ...problems } },
  }, async (req) => svc.bindingsOf(principal(req), req.params.code, req.params.id));

  app.post<{ Params: { code: string; id: string }; Body: { reason: string } }>('/api/municipalities/:code/residents/:id/cards/suspend', {
    preHandler: guard,
    schema: {
      tags, summary: 'Suspend the resident\'s current card at once (lost card); it can no longer log in', security: staffSecurity, params: residentParams,
      body: { type: 'object', additionalProperties: false, required: ['reason'], properties: { reason: { type: 'string', minLength: 2, maxLength: 200 } } },
      response: { 200: CardBindingView, ...problems },
    },
  }, async (req) => svc.suspend(counter(req), req.params.code, req.params.id, req.body.reason));

  app.post<{ Params: { code: string; id: string }; Body: VerifyInput }>('/api/municipalities/:code/residents/:id/cards/rebind', {
    preHandler: guard,
    schema: {
      tags, summary: 'Card renewal: bind a new card (verified by its touch, purpose card-renewal) to the same resident; the old binding ends',
      security: staffSecurity, params: residentParams,
      body: { type: 'object', additionalProperties: false, required: ['challengeId', 'purpose', 'certificate', 'signature'], properties: touchProperties({ type: 'string', const: 'card-renewal' }) },
      response: { 201: CardBindingView, ...problems },
    },
  }, async (req, reply) => reply.code(201).send(await svc.rebind(counter(req), req.params.code, req.params.id, req.body)));
}

import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import { principal, SESSION_COOKIE } from '../http/auth.js';
import { codeParams, staffSecurity } from '../http/schemas.js';
import type { Counter, IdentityService, VerifyInput } from './service.js';

const purposeSchema = {
  type: 'string', pattern: '^[a-z0-9][a-z0-9._:-]{1,63}$',
  description: 'What the touch is for, e.g. `shelter.checkin`; the challenge is bound to it and the audit trail records it',
} as const;
const base64 = (maxLength: number, description: string) => ({ type: 'string', minLength: 4, maxLength, pattern: '^[A-Za-z0-9+/_-]+={0,2}$', description }) as const;
const problems = Object.fromEntries([400, 401, 403, 404, 409, 410, 422, 424].map((s) => [s, { $ref: 'Problem#' }]));

export function identityRoutes(app: FastifyInstance, deps: { identity: IdentityService; guard: preHandlerAsyncHookHandler }) {
  const { identity: svc, guard } = deps;
  const tags = ['identity'];
  const counter = (req: Parameters<preHandlerAsyncHookHandler>[0]): Counter => ({ staff: principal(req), sessionToken: req.cookies[SESSION_COOKIE]!, requestId: req.id });

  app.post<{ Params: { code: string }; Body: { purpose: string } }>('/api/municipalities/:code/identity/challenges', {
    preHandler: guard,
    schema: {
      tags, summary: 'A single-use challenge for one My Number Card touch, bound to the purpose and this session', security: staffSecurity, params: codeParams,
      body: { type: 'object', additionalProperties: false, required: ['purpose'], properties: { purpose: purposeSchema } },
      response: {
        201: { type: 'object', properties: { challengeId: { type: 'string' }, challenge: { type: 'string', description: '32 random bytes, base64url' }, expiresAt: { type: 'string' } } },
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
        200: { type: 'object', properties: { cardKey: { type: 'string', description: 'base64url(sha256(issuer DER || serial))' }, notAfter: { type: 'string' }, verifiedAt: { type: 'string' } } },
        ...problems,
      },
    },
  }, async (req) => svc.verify(counter(req), req.params.code, req.body));
}

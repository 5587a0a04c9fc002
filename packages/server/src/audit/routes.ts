import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import { principal } from '../kernel/http/auth.js';
import { codeParams, staffErrors, staffSecurity, uuidSchema } from '../kernel/http/schemas.js';
import type { AuditService } from './service.js';

const str = { type: 'string' } as const;
const strings = { type: 'array', items: str } as const;
const auditEntryView = {
  type: 'object',
  properties: {
    id: { type: 'string', description: '`s<seq>` once sealed into the chain, `p<n>` while waiting for the sealer' },
    seq: { type: ['integer', 'null'] }, at: str, actor: str, action: str, residentId: { type: ['string', 'null'] }, purpose: str,
    categories: strings, fields: strings, requestId: str, hash: { type: ['string', 'null'] }, sealed: { type: 'boolean' },
  },
} as const;
const chainVerdict = {
  type: 'object',
  properties: {
    municipalityCode: str, ok: { type: 'boolean' }, checked: { type: 'integer' },
    brokenAt: { type: 'object', properties: { seq: { type: 'integer' }, reason: str } },
    pending: { type: 'integer', description: 'Entries recorded but not yet sealed into the chain (normally 0, a moment after an access)' },
    oldestPendingAt: { type: ['string', 'null'] },
  },
} as const;

export function auditRoutes(app: FastifyInstance, deps: { audit: AuditService; guard: preHandlerAsyncHookHandler }) {
  const tags = ['audit'];
  app.get<{ Params: { code: string }; Querystring: { actor?: string; action?: string; residentId?: string; from?: string; to?: string; limit?: number } }>(
    '/api/municipalities/:code/audit', {
      preHandler: deps.guard,
      schema: {
        tags, summary: 'Search the audit trail (newest first)', security: staffSecurity, params: codeParams,
        querystring: {
          type: 'object', additionalProperties: false,
          properties: {
            actor: { type: 'string', maxLength: 100 }, action: { type: 'string', maxLength: 64 }, residentId: uuidSchema,
            from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
          },
        },
        response: { 200: { type: 'object', properties: { entries: { type: 'array', items: auditEntryView } } }, ...staffErrors },
      },
    }, async (req) => {
      const q = req.query;
      const entries = await deps.audit.search(principal(req), req.params.code, {
        actor: q.actor || undefined, action: q.action || undefined, residentId: q.residentId,
        from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined, limit: q.limit ?? 100,
      });
      return { entries };
    });

  app.get<{ Params: { code: string } }>('/api/municipalities/:code/audit/verify', {
    preHandler: deps.guard, schema: { tags, summary: 'Verify the municipality\'s hash chain', security: staffSecurity, params: codeParams, response: { 200: chainVerdict, ...staffErrors } },
  }, async (req) => deps.audit.verifyFor(principal(req), req.params.code));
}

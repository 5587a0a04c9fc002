import type { preHandlerAsyncHookHandler } from 'fastify';
import { principal } from '../kernel/http/auth.js';
import { CodeParams, Strict, Type, Uuid, type App } from '../kernel/http/contract.js';
import { staffErrors, staffSecurity } from '../kernel/http/schemas.js';
import { AuditSearchResult, AuditVerifyResult } from './contract.js';
import type { AuditService } from './service.js';

const auditQuery = Strict({
  actor: Type.Optional(Type.String({ maxLength: 100 })), action: Type.Optional(Type.String({ maxLength: 64 })), residentId: Type.Optional(Uuid),
  from: Type.Optional(Type.String({ format: 'date-time' })), to: Type.Optional(Type.String({ format: 'date-time' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
});

export function auditRoutes(app: App, deps: { audit: AuditService; guard: preHandlerAsyncHookHandler }) {
  const tags = ['audit'];
  app.get('/api/municipalities/:code/audit', {
    preHandler: deps.guard,
    schema: {
      tags, summary: 'Search the audit trail (newest first)', security: staffSecurity, params: CodeParams,
      querystring: auditQuery,
      response: { 200: AuditSearchResult, ...staffErrors },
    },
  }, async (req) => {
    const q = req.query;
    const entries = await deps.audit.search(principal(req), req.params.code, {
      actor: q.actor || undefined, action: q.action || undefined, residentId: q.residentId,
      from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined, limit: q.limit ?? 100,
    });
    return { entries };
  });

  app.get('/api/municipalities/:code/audit/verify', {
    preHandler: deps.guard, schema: { tags, summary: 'Verify the municipality\'s hash chain', security: staffSecurity, params: CodeParams, response: { 200: AuditVerifyResult, ...staffErrors } },
  }, async (req) => deps.audit.verifyFor(principal(req), req.params.code));
}

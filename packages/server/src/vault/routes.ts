import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import { principal } from '../kernel/http/auth.js';
import { codeParams, staffErrors, staffSecurity } from '../kernel/http/schemas.js';
import type { AuditService } from '../audit/index.js';
import type { MunicipalityService } from '../municipality/index.js';
import { actFor } from '../kernel/callers.js';
import { migrateVault } from './migrate.js';
import type { VaultService } from './service.js';
import { VAULT_LOCATIONS, type VaultLocation } from './types.js';

export function vaultRoutes(app: FastifyInstance, deps: { vault: VaultService; municipalities: MunicipalityService; audit: AuditService; guard: preHandlerAsyncHookHandler }) {
  const tags = ['vault'];
  app.get<{ Params: { code: string } }>('/api/municipalities/:code/vault', {
    preHandler: deps.guard,
    schema: {
      tags, summary: 'Where the municipality\'s personal-data vault lives', security: staffSecurity, params: codeParams,
      response: {
        200: { type: 'object', properties: { location: { type: 'string', enum: VAULT_LOCATIONS }, detail: { type: 'string' }, recordCount: { type: 'integer', description: '-1 when the vault cannot be reached' }, keyId: { type: 'string' }, migrating: { type: 'boolean' } } },
        ...staffErrors,
      },
    },
  }, async (req) => {
    actFor(principal(req), req.params.code, 'vault:read');
    return deps.vault.describe(req.params.code);
  });

  app.post<{ Params: { code: string }; Body: { to: VaultLocation; url?: string; publicKey?: string } }>('/api/municipalities/:code/vault/migrate', {
    preHandler: deps.guard,
    schema: {
      tags, summary: 'Move the vault to another location; verifies counts and per-record hashes before switching', security: staffSecurity, params: codeParams,
      body: {
        type: 'object', additionalProperties: false, required: ['to'],
        properties: { to: { type: 'string', enum: VAULT_LOCATIONS }, url: { type: 'string', minLength: 1, maxLength: 500 }, publicKey: { type: 'string', maxLength: 2000 } },
      },
      response: {
        200: { type: 'object', properties: { municipalityCode: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, records: { type: 'integer' }, verified: { type: 'boolean' } } },
        ...staffErrors, 409: { $ref: 'Problem#' },
      },
    },
  }, async (req) => {
    const p = principal(req);
    actFor(p, req.params.code, 'vault:migrate');
    return migrateVault(deps, req.params.code, { location: req.body.to, url: req.body.url ?? null, publicKey: req.body.publicKey ?? null },
      { actor: `staff:${p.loginName}`, requestId: req.id });
  });
}

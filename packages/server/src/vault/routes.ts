import type { preHandlerAsyncHookHandler } from 'fastify';
import { principal } from '../kernel/http/auth.js';
import { CodeParams, type App } from '../kernel/http/contract.js';
import { staffErrors, staffSecurity } from '../kernel/http/schemas.js';
import type { AuditService } from '../audit/index.js';
import type { MunicipalityService } from '../municipality/index.js';
import { actFor } from '../kernel/callers.js';
import { VaultInfo, VaultMigrateRequest, VaultMigrateResult } from './contract.js';
import { migrateVault } from './migrate.js';
import type { VaultService } from './service.js';


export function vaultRoutes(app: App, deps: { vault: VaultService; municipalities: MunicipalityService; audit: AuditService; guard: preHandlerAsyncHookHandler }) {
  const tags = ['vault'];
  app.get('/api/municipalities/:code/vault', {
    preHandler: deps.guard,
    schema: {
      tags, summary: 'Where the municipality\'s personal-data vault lives', security: staffSecurity, params: CodeParams,
      response: {
        200: VaultInfo,
        ...staffErrors,
      },
    },
  }, async (req) => {
    actFor(principal(req), req.params.code, 'vault:read');
    return deps.vault.describe(req.params.code);
  });

  app.post('/api/municipalities/:code/vault/migrate', {
    preHandler: deps.guard,
    schema: {
      tags, summary: 'Move the vault to another location; verifies counts and per-record hashes before switching', security: staffSecurity, params: CodeParams,
      body: VaultMigrateRequest,
      response: {
        200: VaultMigrateResult,
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

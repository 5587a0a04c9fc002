// The OpenID Connect domain's public face: Kazashi as the provider joint-use services log residents
// in with (pairwise subjects, consented claims read from the vault), and their registration by staff.
import path from 'node:path';
import { auditModule } from '../audit/index.js';
import { defineModule } from '../kernel/module.js';
import { municipalityModule } from '../municipality/index.js';
import { portalModule } from '../portal/index.js';
import { vaultModule } from '../vault/index.js';
import { OidcClientService } from './clients.js';
import * as contract from './contract.js';
import { loadOrCreateJwks } from './keys.js';
import { oidcProviderMount, oidcRoutes } from './routes.js';
import * as tables from './schema.js';
import { OidcService } from './service.js';

export { OidcService, ACR_VALUES, accountIdOf, type ResidentSessionLookup } from './service.js';
export { OidcClientService, validateRedirectUri, type ClientCaller, type ClientRegistration } from './clients.js';
export { AUTH_METHODS, OIDC_SCOPES } from './contract.js';
export type * from './contract.js';
export { OidcErrors } from './errors.js';
export { loadOrCreateJwks, pairwiseSubject } from './keys.js';
export { generateJwks } from './keys.js';

declare module '../kernel/callers.js' {
  interface PermissionIds {
    'oidc:manage': true;
  }
}

export const oidcModule = defineModule({
  name: 'oidc',
  summary: 'The OpenID Connect provider joint-use services log residents in with, and their registration',
  permissions: {
    'oidc:manage': { description: "Register and disable the municipality's OpenID Connect services", roles: ['municipal_admin'] },
  },
  tables,
  schemas: contract,
  config: (e, kernel) => ({
    /** Private JWKS (RS256 + ES256) that signs ID tokens; generated into dataDir outside production, required in production. */
    oidcJwksFile: e.file('KAZASHI_OIDC_JWKS_FILE', path.join(kernel.dataDir, 'keys', 'oidc-jwks.json')),
  }),
  services: (kit) => {
    const { config } = kit;
    const audit = kit.use(auditModule).audit;
    const { residentSessions } = kit.use(portalModule);
    const oidcClients = new OidcClientService(kit.db, audit, kit.secret, { production: config.production });
    const oidc = new OidcService({ db: kit.db, vault: kit.use(vaultModule).vault, municipalities: kit.use(municipalityModule).municipalities, audit, clients: oidcClients, residentSessions }, kit.secret, {
      issuer: `${config.publicUrl}/oidc`, production: config.production,
      jwks: loadOrCreateJwks(config.oidcJwksFile, config.production), sessionTtlSeconds: residentSessions.policy.residentSessionMinutes * 60,
    });
    return { oidcClients, oidc };
  },
  routes: async (app, kit) => {
    const { oidc, oidcClients } = kit.services;
    oidcRoutes(app, { oidc, clients: oidcClients, residentSessions: kit.use(portalModule).residentSessions, guard: kit.ports.staffGuard });
    // The provider itself: its own scope, content-type parsers and security headers (see routes.ts).
    await oidcProviderMount(app, { oidc, trustedProxies: kit.config.trustedProxies, production: kit.config.production });
  },
  navigation: [{ path: '/admin/oidc-clients', labelKey: 'oidc.admin.navLabel', permission: 'oidc:manage', area: 'admin' }],
});

// The identity domain's public face: server-side verification of a My Number Card touch, and the
// binding of cards to residents. Other domains use only what is exported here.
import { auditModule } from '../audit/index.js';
import { defineModule } from '../kernel/module.js';
import { municipalityModule } from '../municipality/index.js';
import { readIdentityConfig } from './config.js';
import { identityRoutes } from './routes.js';
import * as contract from './contract.js';
import * as tables from './schema.js';
import { IdentityService } from './service.js';
import { identityTrust } from './trust.js';

export { IdentityService, staffCounter, staffOf, type Counter, type VerifyInput, type VerifyOutcome } from './service.js';
export { identityRoutes, touchProperties } from './routes.js';
export { CardBindingView, CardStatus, ChallengeView } from './contract.js';
export type * from './contract.js';
export { identityTrust, type IdentityTrust } from './trust.js';
export { cardKeyOf, TrustAnchors } from './certificate.js';
export { demoRevocationChecker, demoTestCaPath, loadDemoTestCa, saveDemoTestCa } from './demoCa.js';
export { CrlChecker, CrlFileChecker, FailClosedChecker, FirstAnswerChecker, RevocationUnavailableError, type RevocationChecker, type RevocationStatus } from './revocation.js';
export { OcspChecker } from './ocsp.js';
export { IdentityErrors } from './errors.js';
export { cardBinding } from './schema.js';

declare module '../kernel/callers.js' {
  interface PermissionIds {
    'card:manage': true;
  }
}

/** Expired challenges are swept up this often (each is kept an hour past expiry, to answer challenge-expired). */
const PURGE_EVERY_MS = 10 * 60_000;

export const identityModule = defineModule({
  name: 'identity',
  summary: "Verification of a My Number Card touch (JPKI certificate, signature, revocation) and cards bound to residents",
  permissions: {
    'card:manage': { description: "See a resident's cards, suspend a lost one, bind a renewed one", roles: ['municipal_admin'] },
  },
  tables,
  schemas: contract,
  config: readIdentityConfig,
  // Trust configuration first: a production server without J-LIS trust anchors does not start.
  preflight: (config) => { identityTrust(config); },
  services: (kit) => {
    const identity = new IdentityService(kit.db, kit.use(auditModule).audit, identityTrust(kit.config), kit.config);
    const { municipalities } = kit.use(municipalityModule);
    kit.jobs.every('identity.purge-challenges', PURGE_EVERY_MS, async () => {
      for (const m of await municipalities.publicDirectory()) await identity.purgeExpiredChallenges(m.code);
    });
    return { identity };
  },
  routes: (app, kit) => identityRoutes(app, { identity: kit.services.identity, guard: kit.ports.staffGuard }),
});

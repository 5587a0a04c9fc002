// The portal domain's public face: resident sessions (card login on the resident's own device or a
// kiosk) and the resident's own My page. It provides the kernel's resident guard.
import { auditModule } from '../audit/index.js';
import { identityModule } from '../identity/index.js';
import { defineModule } from '../kernel/module.js';
import { municipalityModule } from '../municipality/index.js';
import { qrModule } from '../qr/index.js';
import { registrationModule } from '../registration/index.js';
import { residentModule } from '../resident/index.js';
import { vaultModule } from '../vault/index.js';
import * as contract from './contract.js';
import { residentGuard } from './guard.js';
import { portalRoutes } from './routes.js';
import * as tables from './schema.js';
import { PortalService } from './service.js';
import { ResidentSessionService } from './sessionService.js';

export { ACR, residentOf, type ResidentPrincipal } from '../kernel/residentCaller.js';
export { ResidentSessionService, type ResidentSessionPolicy, type SessionChannel, type StartedSession } from './sessionService.js';
export { residentGuard, RESIDENT_COOKIE, TOUCH_COOKIE } from './guard.js';
export { PortalService, RESIDENT_SELF } from './service.js';
export { Acr } from './contract.js';
export type * from './contract.js';
export { portalRoutes } from './routes.js';
export { PortalErrors } from './errors.js';

export const portalModule = defineModule({
  name: 'portal',
  summary: "Residents' own sessions (card login at home or at a kiosk) and My page",
  tables,
  schemas: contract,
  config: (e) => ({
    /** Absolute lifetime of a resident's own (web) session, started by card + PIN. */
    residentSessionMinutes: e.int('KAZASHI_RESIDENT_SESSION_MINUTES', 30, { min: 1, max: 24 * 60 }),
    /** Absolute lifetime of a resident session started at a kiosk (shared device: short). */
    kioskSessionMinutes: e.int('KAZASHI_KIOSK_SESSION_MINUTES', 5, { min: 1, max: 120 }),
  }),
  services: (kit) => {
    const residentSessions = new ResidentSessionService(kit.db, kit.config);
    const portal = new PortalService({
      db: kit.db, identity: kit.use(identityModule).identity, residents: kit.use(residentModule).residents,
      municipalities: kit.use(municipalityModule).municipalities, sessions: residentSessions, audit: kit.use(auditModule).audit,
      vault: kit.use(vaultModule).vault, registration: kit.use(registrationModule).registration, qr: kit.use(qrModule).qr,
    });
    return { residentSessions, portal, residentGuard: residentGuard(residentSessions) };
  },
  ports: (s) => ({ residentGuard: s.residentGuard }),
  routes: (app, kit) => portalRoutes(app, {
    portal: kit.services.portal, residentGuard: kit.services.residentGuard, staffGuard: kit.ports.staffGuard,
    cookieSecure: kit.config.cookieSecure, loginRateLimit: kit.config.loginRateLimitPerMinute,
  }),
});

// The personal QR code domain's public face: rotating tokens on My page, printed static cards, and
// their validation at shelters and counters.
import { auditModule } from '../audit/index.js';
import { defineModule } from '../kernel/module.js';
import { residentModule } from '../resident/index.js';
import * as contract from './contract.js';
import { qrRoutes } from './routes.js';
import * as tables from './schema.js';
import { QrService } from './service.js';

export { QrService, type QrCaller, type QrOptions } from './service.js';
export { qrRoutes } from './routes.js';
export { QrErrors } from './errors.js';
export { QrTokenView } from './contract.js';
export type * from './contract.js';

declare module '../kernel/callers.js' {
  interface PermissionIds {
    'qr:issue': true;
    'qr:validate': true;
  }
}

export const qrModule = defineModule({
  name: 'qr',
  summary: "Residents' personal QR codes: rotating tokens, printed cards, validation",
  permissions: {
    'qr:issue': { description: 'Issue and revoke printed QR cards at the counter', roles: ['municipal_admin'] },
    'qr:validate': { description: 'Validate a scanned QR code (audited)', roles: ['municipal_admin', 'shelter_staff', 'disaster_hq'] },
  },
  tables,
  schemas: contract,
  config: (e) => ({
    /** Lifetime of a rotating personal QR token (accepted once). */
    qrTtlSeconds: e.int('KAZASHI_QR_TTL_SECONDS', 60, { min: 10, max: 3600 }),
    /** QR validations per minute per client address. */
    qrRateLimitPerMinute: e.int('KAZASHI_QR_RATE_LIMIT', 60, { min: 1, max: 10_000_000 }),
  }),
  services: (kit) => ({ qr: new QrService(kit.db, kit.use(residentModule).residents, kit.use(auditModule).audit, kit.secret, { ttlSeconds: kit.config.qrTtlSeconds }) }),
  routes: (app, kit) => qrRoutes(app, { qr: kit.services.qr, guard: kit.ports.staffGuard, rateLimit: kit.config.qrRateLimitPerMinute }),
});

// The registration domain's public face: first registration by card touch (a municipal resident ID
// for the card's holder), card login at the counter, and consent records (ISO/IEC TS 27560).
import { auditModule } from '../audit/index.js';
import { identityModule } from '../identity/index.js';
import { defineModule } from '../kernel/module.js';
import { municipalityModule } from '../municipality/index.js';
import { residentModule } from '../resident/index.js';
import { registrationRoutes } from './routes.js';
import * as tables from './schema.js';
import { RegistrationService } from './service.js';

export { ACR_CARD_PIN, RegistrationService, type BasicFour, type CardLoginResult, type ConsentExport, type ConsentInput, type ConsentView, type RegistrationInput, type RegistrationResult, type SelfCaller } from './service.js';
export { registrationRoutes, consentSchema, consentViewSchema } from './routes.js';
export { RegistrationErrors } from './errors.js';

declare module '../kernel/callers.js' {
  interface PermissionIds {
    'consent:read': true;
    'consent:manage': true;
  }
}

export const registrationModule = defineModule({
  name: 'registration',
  summary: 'First registration by card touch, counter card login, and consent records',
  permissions: {
    'consent:read': { description: "Read and export a resident's consent records", roles: ['municipal_admin'] },
    'consent:manage': { description: "Withdraw a resident's consent at the counter", roles: ['municipal_admin'] },
  },
  tables,
  services: (kit) => ({
    registration: new RegistrationService(kit.db, kit.use(identityModule).identity, kit.use(residentModule).residents, kit.use(auditModule).audit, kit.use(municipalityModule).municipalities),
  }),
  routes: (app, kit) => registrationRoutes(app, { registration: kit.services.registration, guard: kit.ports.staffGuard }),
});

// The registration domain's public face: first registration by card touch (a municipal resident ID
// for the card's holder), card login at the counter, and consent records (ISO/IEC TS 27560).
import { auditModule } from '../audit/index.js';
import { identityModule } from '../identity/index.js';
import { defineModule } from '../kernel/module.js';
import { municipalityModule } from '../municipality/index.js';
import { residentModule } from '../resident/index.js';
import * as contract from './contract.js';
import { registrationRoutes } from './routes.js';
import * as tables from './schema.js';
import { RegistrationService } from './service.js';

export { ACR_CARD_PIN, RegistrationService, type RegistrationInput, type SelfCaller } from './service.js';
export { registrationRoutes } from './routes.js';
export { ConsentExport, ConsentInput, consentInputSchema, ConsentView } from './contract.js';
export type * from './contract.js';
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
  schemas: contract,
  services: (kit) => ({
    registration: new RegistrationService(kit.db, kit.use(identityModule).identity, kit.use(residentModule).residents, kit.use(auditModule).audit, kit.use(municipalityModule).municipalities),
  }),
  routes: (app, kit) => registrationRoutes(app, { registration: kit.services.registration, guard: kit.ports.staffGuard }),
});

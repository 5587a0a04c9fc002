// Every server domain, in the order their services are built (a module may `use` the ones before it).
// Adding a domain is a folder with its index.ts (see README, "Adding a domain") and one line here.
import { auditModule } from './audit/index.js';
import { identityModule } from './identity/index.js';
import { municipalityModule } from './municipality/index.js';
import { oidcModule } from './oidc/index.js';
import { portalModule } from './portal/index.js';
import { qrModule } from './qr/index.js';
import { registrationModule } from './registration/index.js';
import { residentModule } from './resident/index.js';
import { shelterModule } from './shelter/index.js';
import { staffModule } from './staff/index.js';
import { vaultModule } from './vault/index.js';

export const modules = [
  municipalityModule,
  auditModule,
  staffModule,
  vaultModule,
  residentModule,
  identityModule,
  registrationModule,
  qrModule,
  portalModule,
  oidcModule,
  shelterModule,
] as const;

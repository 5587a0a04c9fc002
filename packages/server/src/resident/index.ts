// The resident domain: residents as the platform knows them (pseudonymous ids, the 住民ID with its
// check digit) and, through the vault, their personal data. Other domains use only what is exported here.
import { defineModule } from '../kernel/module.js';
import { vaultModule } from '../vault/index.js';
import * as contract from './contract.js';
import { DEMO_RESIDENTS, DEMO_RESIDENTS_FACT } from './demo.js';
import { residentRoutes } from './routes.js';
import * as tables from './schema.js';
import { ResidentService } from './service.js';

export { ResidentService, type PersonalDataAccess } from './service.js';
export type * from './contract.js';
export { dammCheckDigit, dammValid, globalResidentId, newResidentNumber, parseGlobalResidentId, parseResidentNumber, type ResidentNumber } from './number.js';
export { ResidentErrors } from './errors.js';
export { DEMO_RESIDENTS, DEMO_RESIDENTS_FACT } from './demo.js';
export { resident } from './schema.js';

declare module '../kernel/callers.js' {
  interface PermissionIds {
    'resident:list': true;
    'resident:register': true;
    'personal:read': true;
    'personal:write': true;
  }
}

declare module '../kernel/dataCategories.js' {
  interface DataCategoryIds {
    basic: true;
    contact: true;
    household: true;
    health: true;
    needs: true;
    voting: true;
  }
}

export const residentModule = defineModule({
  name: 'resident',
  summary: 'Residents: pseudonymous ids, the municipal resident ID (住民ID) and, through the vault, their personal data',
  permissions: {
    'resident:list': { description: 'Find residents (ids and data categories only)', roles: ['platform_admin', 'municipal_admin', 'shelter_staff', 'disaster_hq'] },
    'resident:register': { description: 'Register a resident at the counter', roles: ['municipal_admin'] },
    'personal:read': { description: "Read a resident's personal data (audited)", roles: ['municipal_admin'] },
    'personal:write': { description: "Write a resident's personal data (audited)", roles: ['municipal_admin'] },
  },
  dataCategories: {
    basic: { fields: ['nameKanji', 'nameKana', 'address', 'birthDate', 'sex'], description: 'The basic four items (基本4情報)' },
    contact: { fields: ['phone', 'email'], description: 'How to reach the resident' },
    household: { fields: ['householdHead', 'members'], description: 'Household' },
    health: { fields: ['allergies', 'medication', 'careLevel'], description: 'Health' },
    needs: { fields: ['disability', 'pregnancy', 'language', 'notes'], description: 'Needs and support' },
    voting: { fields: ['pollingDistrict', 'electorNumber'], description: 'Voting information' },
  },
  tables,
  schemas: contract,
  config: (e) => ({
    /** Resident-ID lookups per minute per staff session (guessing IDs at the counter is enumeration). */
    residentLookupRateLimitPerMinute: e.int('KAZASHI_RESIDENT_LOOKUP_RATE_LIMIT', 60, { min: 1, max: 10_000_000 }),
  }),
  services: (kit) => ({ residents: new ResidentService(kit.db, kit.use(vaultModule).vault) }),
  routes: (app, kit) => residentRoutes(app, { residents: kit.services.residents, guard: kit.ports.staffGuard, lookupRateLimit: kit.config.residentLookupRateLimitPerMinute }),
  seed: async ({ services: { residents }, demo }) => {
    let n = 0;
    for (const [code, list] of Object.entries(DEMO_RESIDENTS)) {
      for (const r of list) {
        const { phone, ...basic } = r;
        await residents.register(code, { basic, contact: { phone } }, { actor: 'system:demo-seed', purpose: 'demo data', requestId: 'demo-seed' });
        n++;
      }
    }
    demo.facts.set(DEMO_RESIDENTS_FACT, n);
    demo.banner.push(`Residents with personal data in their municipality's vault: ${n}`);
  },
  navigation: [{ path: '/counter', labelKey: 'counter.navLabel', permission: 'resident:list', area: 'operations' }],
});

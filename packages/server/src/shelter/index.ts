// The shelter domain (避難所): registry and opening, pre-registration and evacuees, check-in and
// movements, the HQ dashboard with live updates, supplies. Other domains use only what is exported here.
import type { preHandlerAsyncHookHandler } from 'fastify';
import { auditModule } from '../audit/index.js';
import { identityModule } from '../identity/index.js';
import { defineModule } from '../kernel/module.js';
import { municipalityModule } from '../municipality/index.js';
import { qrModule } from '../qr/index.js';
import { residentModule } from '../resident/index.js';
import { DEMO_STAFF_FACT, type DemoStaffFact } from '../staff/index.js';
import { vaultModule } from '../vault/index.js';
import { readShelterConfig } from './config.js';
import { seedDemoDisaster, seedDemoShelters } from './demo.js';
import * as contract from './contract.js';
import type { ShelterServiceDeps } from './deps.js';
import { evacueeRoutes } from './evacuee/routes.js';
import { EvacueeService } from './evacuee/service.js';
import { hqRoutes } from './hq/routes.js';
import { ShelterHqService } from './hq/service.js';
import { ShelterLiveHub } from './hq/live.js';
import { ShelterChangePublisher } from './hq/notify.js';
import { registryRoutes } from './registry/routes.js';
import { ShelterRegistryService } from './registry/service.js';
import * as tables from './schema.js';
import { stayRoutes } from './stay/routes.js';
import { StayService } from './stay/service.js';
import { supplyRoutes } from './supply/routes.js';
import { SupplyService } from './supply/service.js';

export { ShelterRegistryService } from './registry/service.js';
export { EvacueeService } from './evacuee/service.js';
export { StayService } from './stay/service.js';
export { ShelterHqService } from './hq/service.js';
export { ShelterLiveHub } from './hq/live.js';
export { SupplyService } from './supply/service.js';
export { ShelterErrors } from './errors.js';
export { ShelterChangePublisher } from './hq/notify.js';
export { seedDemoDisaster } from './demo.js';
export type * from './contract.js';

declare module '../kernel/callers.js' {
  interface PermissionIds {
    /** Shelter work: check-in and out, roster, walk-in intake, supply requests, the HQ view. */
    'shelter:operate': true;
    /** Disaster HQ: declare disasters, open and close shelters, the registry, supply orders. */
    'shelter:command': true;
  }
}

declare module '../kernel/dataCategories.js' {
  interface DataCategoryIds {
    evacuee: true;
  }
}

/** The shelter domain's services (the platform's `shelters`). */
export interface ShelterServices {
  registry: ShelterRegistryService;
  evacuees: EvacueeService;
  stays: StayService;
  hq: ShelterHqService;
  live: ShelterLiveHub;
  supplies: SupplyService;
  /** Batched, after-commit announcements of check-ins (LISTEN/NOTIFY). */
  publisher: ShelterChangePublisher;
}

/** What every shelter route plugin gets: the services and the two guards. */
export interface ShelterRouteDeps extends ShelterServices {
  /** Staff session guard. */
  guard: preHandlerAsyncHookHandler;
  /** Resident session guard (portal routes under /api/resident/me/...). */
  residentGuard: preHandlerAsyncHookHandler;
}

export const shelterModule = defineModule({
  name: 'shelter',
  summary: 'Evacuation shelters: registry, pre-registration, card-touch check-in, HQ dashboard, supplies, safety search',
  permissions: {
    'shelter:operate': { description: 'Shelter work: check-in and out, roster, walk-ins, supply requests, the HQ view', roles: ['municipal_admin', 'shelter_staff', 'disaster_hq'] },
    'shelter:command': { description: 'Disaster HQ: disasters, opening and closing shelters, the registry, supply orders', roles: ['municipal_admin', 'disaster_hq'] },
  },
  dataCategories: {
    evacuee: {
      fields: ['nameKanji', 'nameKana', 'birthDate', 'sex', 'phone', 'allergies', 'medication', 'care', 'disability', 'notes', 'pets', 'carPlate', 'carModel'],
      description: 'Shelter pre-registration and walk-ins, keyed by the evacuee id (the resident id for the card holder)',
    },
  },
  tables,
  jointUseService: 'shelter',
  config: readShelterConfig,
  services: (kit): { shelters: ShelterServices } => {
    const deps: ShelterServiceDeps = {
      config: kit.config, db: kit.db, audit: kit.use(auditModule).audit, municipalities: kit.use(municipalityModule).municipalities,
      vault: kit.use(vaultModule).vault, residents: kit.use(residentModule).residents, identity: kit.use(identityModule).identity,
      qr: kit.use(qrModule).qr, secret: kit.secret,
    };
    const registry = new ShelterRegistryService(deps);
    const evacuees = new EvacueeService(deps);
    const hq = new ShelterHqService(deps);
    const publisher = new ShelterChangePublisher(kit.db);
    return {
      shelters: {
        registry, evacuees, hq, publisher,
        stays: new StayService(deps, { evacuees, publisher }),
        live: new ShelterLiveHub(deps, { hq }),
        supplies: new SupplyService(deps, { registry, hq }),
      },
    };
  },
  start: ({ shelters }) => shelters.live.start(),
  close: async ({ shelters }) => {
    await shelters.publisher.close();
    await shelters.live.close();
  },
  schemas: contract,
  routes: (app, kit) => {
    const deps = { ...kit.services.shelters, guard: kit.ports.staffGuard, residentGuard: kit.ports.residentGuard };
    registryRoutes(app, deps);
    evacueeRoutes(app, deps);
    stayRoutes(app, deps);
    hqRoutes(app, deps);
    supplyRoutes(app, deps);
  },
  seed: async ({ services, demo }) => {
    await seedDemoShelters(services);
    if (demo.scenario) {
      const { staff } = demo.facts.get(DEMO_STAFF_FACT) as DemoStaffFact;
      await seedDemoDisaster(services, { hq: staff['yabu.hq']!, shelter: staff['yabu.shelter']! });
    }
  },
  navigation: [
    { path: '/admin/shelters', labelKey: 'hq.registry.navLabel', permission: 'shelter:command', area: 'admin' },
    { path: '/hq', labelKey: 'hq.navLabel', permission: 'shelter:operate', area: 'operations' },
    { path: '/shelter', labelKey: 'shelter.navLabel', permission: 'shelter:operate', area: 'operations' },
  ],
});

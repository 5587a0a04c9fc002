// The shelter domain (避難所): registry and opening, pre-registration and evacuees, check-in and
// movements, the HQ dashboard with live updates, supplies. Other domains use only what is exported here.
import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import { evacueeRoutes } from './evacueeRoutes.js';
import type { EvacueeService } from './evacueeService.js';
import { hqRoutes } from './hqRoutes.js';
import type { ShelterHqService } from './hqService.js';
import type { ShelterLiveHub } from './live.js';
import { registryRoutes } from './registryRoutes.js';
import type { ShelterRegistryService } from './registryService.js';
import { stayRoutes } from './stayRoutes.js';
import type { StayService } from './stayService.js';
import { supplyRoutes } from './supplyRoutes.js';
import type { SupplyService } from './supplyService.js';

export { ShelterRegistryService } from './registryService.js';
export { EvacueeService } from './evacueeService.js';
export { StayService } from './stayService.js';
export { ShelterHqService } from './hqService.js';
export { ShelterLiveHub } from './live.js';
export { SupplyService } from './supplyService.js';
export { ShelterErrors } from './errors.js';
export { ShelterChangePublisher } from './notify.js';
export type * from './views.js';

export interface ShelterRouteDeps {
  registry: ShelterRegistryService;
  evacuees: EvacueeService;
  stays: StayService;
  hq: ShelterHqService;
  live: ShelterLiveHub;
  supplies: SupplyService;
  /** Staff session guard. */
  guard: preHandlerAsyncHookHandler;
  /** Resident session guard (portal routes under /api/resident/me/...). */
  residentGuard: preHandlerAsyncHookHandler;
}

/** Every route of the shelter domain. */
export function shelterRoutes(app: FastifyInstance, deps: ShelterRouteDeps) {
  registryRoutes(app, deps);
  evacueeRoutes(app, deps);
  stayRoutes(app, deps);
  hqRoutes(app, deps);
  supplyRoutes(app, deps);
}

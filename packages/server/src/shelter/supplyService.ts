// SKELETON: replaced by the owner of this file (see /tmp/kz/CONTRACT.md).
import type { ShelterServiceDeps } from './deps.js';
import type { ShelterHqService } from './hqService.js';
import type { ShelterRegistryService } from './registryService.js';

export class SupplyService {
  constructor(readonly deps: ShelterServiceDeps, readonly peers: { registry: ShelterRegistryService; hq: ShelterHqService }) {}
}

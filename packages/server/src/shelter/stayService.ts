// SKELETON: replaced by the owner of this file (see /tmp/kz/CONTRACT.md).
import type { ShelterServiceDeps } from './deps.js';
import type { EvacueeService } from './evacueeService.js';
import type { ShelterRegistryService } from './registryService.js';

export class StayService {
  constructor(readonly deps: ShelterServiceDeps, readonly peers: { evacuees: EvacueeService; registry: ShelterRegistryService }) {}
}

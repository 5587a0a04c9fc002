// SKELETON: replaced by the owner of this file (see /tmp/kz/CONTRACT.md).
import type { ShelterServiceDeps } from './deps.js';

export class EvacueeService {
  constructor(readonly deps: ShelterServiceDeps) {}
}

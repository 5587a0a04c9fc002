// SKELETON: replaced by the owner of this file (see /tmp/kz/CONTRACT.md).
import type { ShelterServiceDeps } from './deps.js';
import type { ShelterHqService } from './hqService.js';

export class ShelterLiveHub {
  constructor(readonly deps: ShelterServiceDeps, readonly peers: { hq: ShelterHqService }) {}
  /** Starts listening for stay changes (PostgreSQL LISTEN / PGlite listen). */
  async start(): Promise<void> {}
  async close(): Promise<void> {}
}

import type { AuditService } from '../audit/index.js';
import type { KernelConfig } from '../kernel/config.js';
import type { ShelterSettings } from './config.js';
import type { Database } from '../kernel/db/engine.js';
import type { IdentityService } from '../identity/index.js';
import type { MunicipalityService } from '../municipality/index.js';
import type { QrService } from '../qr/index.js';
import type { ResidentService } from '../resident/index.js';
import type { VaultService } from '../vault/index.js';

/** What the shelter domain's services get from the platform: other domains' service interfaces only. */
export interface ShelterServiceDeps {
  config: KernelConfig & ShelterSettings;
  db: Database;
  audit: AuditService;
  municipalities: MunicipalityService;
  vault: VaultService;
  residents: ResidentService;
  identity: IdentityService;
  qr: QrService;
  /** The server secret (32 bytes): keys the safety-search hashes. */
  secret: Buffer;
}

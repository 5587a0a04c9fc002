import path from 'node:path';
import { AuditService } from '../audit/service.js';
import type { Config } from '../config.js';
import { openDatabase, type Database } from '../kernel/db/engine.js';
import { IdentityService, identityTrust } from '../identity/index.js';
import { MunicipalityService } from '../municipality/service.js';
import { PortalService, ResidentSessionService } from '../portal/index.js';
import { loadOrCreateJwks, OidcClientService, OidcService } from '../oidc/index.js';
import { QrService } from '../qr/index.js';
import { RegistrationService } from '../registration/index.js';
import { ResidentService } from '../resident/service.js';
import { EvacueeService, ShelterChangePublisher, ShelterHqService, ShelterLiveHub, ShelterRegistryService, StayService, SupplyService } from '../shelter/index.js';
import { StaffService } from '../staff/service.js';
import { VaultKeyring } from '../vault/keyring.js';
import { VaultService } from '../vault/service.js';
import { generateSigningKey } from '../vault/signing.js';
import { loadOrCreateSecret, loadServerSecret } from '../kernel/secrets.js';

/** Every domain service, wired once. Domains reach each other only through these. */
export interface Platform {
  config: Config;
  db: Database;
  municipalities: MunicipalityService;
  audit: AuditService;
  staff: StaffService;
  vault: VaultService;
  residents: ResidentService;
  identity: IdentityService;
  registration: RegistrationService;
  qr: QrService;
  /** Resident sessions (portal): authenticate a kazashi_resident cookie, start and end sessions. */
  residentSessions: ResidentSessionService;
  portal: PortalService;
  /** OpenID Connect clients registered by municipal admins. */
  oidcClients: OidcClientService;
  /** The OpenID Connect provider for joint-use services and its login/consent steps. */
  oidc: OidcService;
  /** Evacuation shelters (避難所): registry, evacuees, stays, HQ view and its live updates, supplies. */
  shelters: {
    registry: ShelterRegistryService;
    evacuees: EvacueeService;
    stays: StayService;
    hq: ShelterHqService;
    live: ShelterLiveHub;
    supplies: SupplyService;
    /** Batched, after-commit announcements of check-ins (LISTEN/NOTIFY). */
    publisher: ShelterChangePublisher;
  };
  close(): Promise<void>;
}

export interface PlatformOverrides {
  db?: Database;
  keyring?: VaultKeyring;
  /** Keep embedded vaults in memory (tests). */
  inMemoryVaults?: boolean;
}

/** A warning for a background task that may fail again and again during an outage: at most once a minute. */
function throttledWarning(what: string): (e: unknown) => void {
  let last = 0;
  return (e) => {
    if (Date.now() - last < 60_000) return;
    last = Date.now();
    process.emitWarning(`${what}: ${e instanceof Error ? e.message : String(e)}`);
  };
}

export async function createPlatform(config: Config, overrides: PlatformOverrides = {}): Promise<Platform> {
  // Trust configuration first: a production server without J-LIS trust anchors does not start.
  const trust = identityTrust(config);
  const db = overrides.db ?? (await openDatabase({
    databaseUrl: config.databaseUrl,
    databaseAppUrl: config.databaseAppUrl,
    pgliteDir: path.join(config.dataDir, 'platform'),
  }));
  await db.migrate();
  const secret = loadServerSecret(config.secretKeyFile, config.production);
  const clientKeyPem = loadOrCreateSecret(config.vaultClientKeyFile, () => generateSigningKey().privatePem, config.production, 'vault client signing key');
  const keyring = overrides.keyring ?? VaultKeyring.fromFile(config.vaultKeysFile, !config.production);
  const municipalities = new MunicipalityService(db);
  const audit = new AuditService(db, { onSealError: throttledWarning('audit sealing failed (entries stay pending and are sealed later)') });
  audit.sealer.start();
  const staff = new StaffService(db, audit, secret, config);
  const vault = new VaultService({
    db, municipalities, audit, keyring, clientKeyPem,
    embeddedRoot: overrides.inMemoryVaults ? undefined : path.join(config.dataDir, 'vault'),
  });
  const residents = new ResidentService(db, vault);
  const identity = new IdentityService(db, audit, trust, config);
  const registration = new RegistrationService(db, identity, residents, audit, municipalities);
  const qr = new QrService(db, residents, audit, secret, { ttlSeconds: config.qrTtlSeconds });
  const residentSessions = new ResidentSessionService(db, config);
  const portal = new PortalService({ db, identity, residents, municipalities, sessions: residentSessions, audit, vault, registration, qr });
  const oidcClients = new OidcClientService(db, audit, secret, { production: config.production });
  const oidc = new OidcService({ db, vault, municipalities, audit, clients: oidcClients, residentSessions }, secret, {
    issuer: `${config.publicUrl}/oidc`, production: config.production,
    jwks: loadOrCreateJwks(config.oidcJwksFile, config.production), sessionTtlSeconds: config.residentSessionMinutes * 60,
  });
  const shelterDeps = { config, db, audit, municipalities, vault, residents, identity, qr, secret };
  const shelterRegistry = new ShelterRegistryService(shelterDeps);
  const evacuees = new EvacueeService(shelterDeps);
  const hq = new ShelterHqService(shelterDeps);
  const publisher = new ShelterChangePublisher(db);
  const shelters = {
    registry: shelterRegistry, evacuees, hq,
    publisher,
    stays: new StayService(shelterDeps, { evacuees, registry: shelterRegistry, publisher }),
    live: new ShelterLiveHub(shelterDeps, { hq }),
    supplies: new SupplyService(shelterDeps, { registry: shelterRegistry, hq }),
  };
  await shelters.live.start();
  return {
    config, db, municipalities, audit, staff, vault, residents, identity, registration, qr, residentSessions, portal, oidcClients, oidc, shelters,
    async close() {
      await shelters.publisher.close();
      await shelters.live.close();
      await audit.sealer.close();
      await vault.close();
      await db.close();
    },
  };
}

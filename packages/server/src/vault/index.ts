// The vault domain (個人データ保管庫): each municipality's personal data, sealed field by field under its
// own keys, at the location it chose (embedded, a PostgreSQL of its choosing, or a remote vault behind
// signed requests); every access audited. Other domains use only what is exported here.
import path from 'node:path';
import { auditModule } from '../audit/index.js';
import { loadOrCreateSecret } from '../kernel/secrets.js';
import { defineModule } from '../kernel/module.js';
import { municipalityModule } from '../municipality/index.js';
import * as contract from './contract.js';
import { VaultKeyring } from './keyring.js';
import { vaultRoutes } from './routes.js';
import { VaultService } from './service.js';
import { generateSigningKey } from './signing.js';

export { VaultService, expandEnv, type PersonalData, type VaultAccess } from './service.js';
export { VaultKeyring } from './keyring.js';
export type { VaultInfo, VaultMigrateRequest, VaultMigrateResult } from './contract.js';
export { VaultErrors } from './errors.js';
export { migrateVault, type MigrationResult } from './migrate.js';
export { buildVaultServer, type VaultServerOptions } from './remoteServer.js';
export { generateSigningKey, publicPemOf } from './signing.js';
export { SqlVaultStore } from './sqlStore.js';
export { VAULT_LOCATIONS, type DataCategory, type StoredRecord, type VaultLocation, type VaultStore } from './types.js';

declare module '../kernel/callers.js' {
  interface PermissionIds {
    'vault:read': true;
    'vault:migrate': true;
  }
}

/** Test settings (createPlatform's overrides.vault): keep embedded vaults in memory, use a given keyring. */
export interface VaultOverrides {
  inMemory?: boolean;
  keyring?: VaultKeyring;
}

export const vaultModule = defineModule({
  name: 'vault',
  summary: "Each municipality's personal-data vault, at the location it chose, sealed and audited",
  permissions: {
    'vault:read': { description: "See where the municipality's vault lives and how many records it holds", roles: ['platform_admin', 'municipal_admin'] },
    'vault:migrate': { description: 'Move a vault to another location (verified before it switches)', roles: ['platform_admin'] },
  },
  config: (e, kernel) => ({
    /** Per-municipality data keys: { "282227": { "current": "k2", "keys": { "k1": "<base64 32 bytes>", "k2": "…" } } } */
    vaultKeysFile: e.file('KAZASHI_VAULT_KEYS_FILE', path.join(kernel.dataDir, 'keys', 'vault-keys.json')),
    /** The platform's Ed25519 private key (PKCS#8 PEM) for signing requests to remote vaults. */
    vaultClientKeyFile: e.file('KAZASHI_VAULT_CLIENT_KEY_FILE', path.join(kernel.dataDir, 'keys', 'vault-client.pem')),
  }),
  services: (kit) => {
    const { config } = kit;
    const o = (kit.overrides.vault ?? {}) as VaultOverrides;
    const clientKeyPem = loadOrCreateSecret(config.vaultClientKeyFile, () => generateSigningKey().privatePem, config.production, 'vault client signing key');
    const vault = new VaultService({
      db: kit.db, municipalities: kit.use(municipalityModule).municipalities, audit: kit.use(auditModule).audit,
      keyring: o.keyring ?? VaultKeyring.fromFile(config.vaultKeysFile, !config.production), clientKeyPem,
      embeddedRoot: o.inMemory ? undefined : path.join(config.dataDir, 'vault'),
    });
    return { vault };
  },
  close: ({ vault }) => vault.close(),
  schemas: contract,
  routes: (app, kit) => vaultRoutes(app, {
    vault: kit.services.vault, municipalities: kit.use(municipalityModule).municipalities, audit: kit.use(auditModule).audit, guard: kit.ports.staffGuard,
  }),
  navigation: [{ path: '/admin/vault', labelKey: 'admin.vault', permission: 'vault:read', area: 'admin' }],
});

import type { AuditService } from '../audit/index.js';
import type { MunicipalityService } from '../municipality/index.js';
import type { VaultMigrateResult } from './contract.js';
import { VaultErrors } from './errors.js';
import { recordHash, type VaultPlacement, type VaultService } from './service.js';
import type { VaultLocation, VaultStore } from './types.js';

/** What a migration answers (./contract.ts VaultMigrateResult). */
export type MigrationResult = VaultMigrateResult;

export interface MigrationOptions {
  actor: string;
  requestId: string;
  /** Opens the target store; tests pass a faulty one to prove that a mismatch aborts. */
  openTarget?: (placement: VaultPlacement) => Promise<VaultStore>;
}

/**
 * Moves one municipality's vault to a new placement: pause writes, copy every record, verify the
 * count and each record's hash in the target, and only then switch. Any failure removes what was
 * copied, resumes writes and leaves the old vault serving.
 */
export async function migrateVault(
  deps: { vault: VaultService; municipalities: MunicipalityService; audit: AuditService },
  code: string,
  to: VaultPlacement,
  opts: MigrationOptions,
): Promise<MigrationResult> {
  const m = await deps.municipalities.get(code);
  if (m.vaultMigrating) throw VaultErrors['vault-migrating']();
  const from = m.vaultLocation as VaultLocation;
  if (from === to.location && (m.vaultUrl ?? null) === (to.url ?? null)) throw VaultErrors['vault-same-location']();

  const source = await deps.vault.storeFor(code);
  const target = await (opts.openTarget ?? ((p) => deps.vault.openStore(code, p)))(to);
  let copied: { residentId: string; category: string }[] = [];
  let switched = false;
  try {
    if ((await target.count(code)) > 0) throw VaultErrors['vault-target-not-empty']();
    await deps.municipalities.setVaultMigrating(code, true);
    const records = await source.all(code);
    for (const r of records) {
      await target.put(r);
      copied.push(r);
    }
    const count = await target.count(code);
    if (count !== records.length) {
      throw VaultErrors['vault-migration-mismatch']({ detail: `count ${count} ≠ ${records.length}` });
    }
    const landed = new Map((await target.all(code)).map((r) => [`${r.residentId}/${r.category}`, recordHash(r)]));
    for (const r of records) {
      if (landed.get(`${r.residentId}/${r.category}`) !== recordHash(r)) {
        throw VaultErrors['vault-migration-mismatch']({ detail: `record ${r.residentId}/${r.category}` });
      }
    }
    await deps.municipalities.setVaultLocation(code, {
      vaultLocation: to.location, vaultUrl: to.url ?? null, vaultPublicKey: to.publicKey ?? null, vaultMigrating: false,
    });
    switched = true;
    copied = [];
    await deps.audit.record(code, {
      actor: opts.actor, action: 'vault.migrate', purpose: `vault relocation ${from} → ${to.location}`,
      categories: [...new Set(records.map((r) => r.category))], fields: [], requestId: opts.requestId,
    });
    return { municipalityCode: code, from, to: to.location, records: records.length, verified: true };
  } finally {
    if (!switched) {
      for (const r of copied) await target.delete(code, r.residentId, r.category).catch(() => {});
      await deps.municipalities.setVaultMigrating(code, false);
    }
    await target.close().catch(() => {});
  }
}

// The audit trail end to end: vault accesses write chained entries; the app role cannot change
// them; an operator who alters or deletes one row is caught by `kazashi audit verify`, by name.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { seedDemo } from '../demo/seed.js';
import { createPlatform, type Platform } from '../platform/container.js';
import { describeEachEngine, freshPostgresDatabase, runCli } from '../test/harness.js';

describeEachEngine('audit trail', (engine) => {
  let dataDir: string;
  let env: Record<string, string>;
  let drop = async () => {};
  let platform: Platform;

  const open = () => createPlatform(loadConfig({ ...env, LOG_LEVEL: 'silent' }));
  const tamper = async (statement: string) => {
    // The table owner, bypassing the append-only trigger the way a superuser could.
    await platform.db.owner.transaction(async (tx) => {
      await tx.execute(sql.raw('set local session_replication_role = replica'));
      await tx.execute(sql.raw(statement));
    });
  };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kazashi-audit-'));
    env = { KAZASHI_DATA_DIR: dataDir };
    if (engine === 'postgres') {
      const fresh = await freshPostgresDatabase();
      env.DATABASE_URL = fresh.url;
      drop = fresh.drop;
    }
    platform = await open();
    await seedDemo(platform);
    const [r] = await platform.residents.list({ id: 'x', loginName: 'yabu.admin', displayName: '', municipalityCode: '282227', roles: ['municipal_admin'] }, '282227');
    for (let i = 0; i < 3; i++) {
      await platform.vault.get({ municipalityCode: '282227', actor: 'staff:yabu.admin', purpose: `counter enquiry ${i}`, requestId: `req-${i}` }, r!.id, 'basic', { fields: ['address'] });
    }
    // Entries are sealed into the chain moments after their transaction; this suite reads the chain itself.
    await platform.audit.sealer.flush();
  });
  afterAll(async () => {
    await platform?.close().catch(() => {});
    await drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('records actor, purpose, resident, categories and fields of each vault access, chained', async () => {
    const entries = ((await platform.db.owner.execute(sql`select * from audit_entry where municipality_code = '282227' and action = 'vault.read' order by seq`)) as unknown as { rows: Record<string, unknown>[] }).rows;
    expect(entries).toHaveLength(3);
    expect(entries[0]).toMatchObject({ actor: 'staff:yabu.admin', purpose: 'counter enquiry 0', categories: ['basic'], fields: ['address'], request_id: 'req-0' });
    expect(entries[1]!.prev_hash).toBe(entries[0]!.hash);
    expect((await platform.audit.verifyAll()).every((v) => v.ok)).toBe(true);
  });

  it('hashes computed in SQL verify in the application, whatever the text (Japanese, quotes, backslashes)', async () => {
    await platform.audit.record('282251', {
      actor: 'staff:asago.admin', action: 'vault.read', residentId: null, purpose: '窓口での本人確認 "代理人" \\ 😀',
      categories: ['basic', 'needs "x"'], fields: ['address', 'a\\b'], requestId: 'req-日本語',
    });
    await platform.audit.sealer.flush();
    expect((await platform.audit.verifyAll()).every((v) => v.ok)).toBe(true);
  });

  it('refuses UPDATE and DELETE even for the table owner (append-only trigger)', async () => {
    await expect(platform.db.owner.execute(sql`update audit_entry set purpose = 'x'`)).rejects.toMatchObject({ cause: { message: expect.stringMatching(/append-only/) } });
    await expect(platform.db.owner.execute(sql`delete from audit_entry`)).rejects.toMatchObject({ cause: { message: expect.stringMatching(/append-only/) } });
  });

  it('`kazashi audit verify` passes on the intact trail, then fails naming an altered entry, then a deleted one', async () => {
    await platform.close();
    const intact = await runCli(['audit', 'verify'], env);
    expect(intact.stderr).toBe('');
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/282227: ok \(\d+ entries\)/);
    expect(intact.stdout).toMatch(/282251: ok/);

    platform = await open();
    const seq = ((await platform.db.owner.execute(sql`select seq from audit_entry where municipality_code = '282227' and purpose = 'counter enquiry 1'`)) as unknown as { rows: { seq: number }[] }).rows[0]!.seq;
    await tamper(`update audit_entry set purpose = 'nothing to see' where municipality_code = '282227' and seq = ${seq}`);
    await platform.close();
    const altered = await runCli(['audit', 'verify'], env);
    expect(altered.code).toBe(1);
    expect(altered.stdout).toContain(`282227: BROKEN at entry seq=${seq} (hash-mismatch)`);
    expect(altered.stdout).toMatch(/282251: ok/);

    platform = await open();
    await tamper(`update audit_entry set purpose = 'counter enquiry 1' where municipality_code = '282227' and seq = ${seq}`);
    await tamper(`delete from audit_entry where municipality_code = '282251' and seq = 2`);
    await platform.close();
    const deleted = await runCli(['audit', 'verify'], env);
    expect(deleted.code).toBe(1);
    expect(deleted.stdout).toMatch(/282227: ok/);
    expect(deleted.stdout).toContain('282251: BROKEN at entry seq=2 (missing-entry)');
    platform = await open();
  });
});

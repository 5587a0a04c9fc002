// The personal-data vault: sealed fields, every location, the remote vault as its own process,
// verified migration, and no personal value anywhere in the platform database.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_RESIDENTS } from '../resident/index.js';
import { loadConfig } from '../config.js';
import { createPlatform, type Platform } from '../platform/container.js';
import { seedDemo } from '../demo/seed.js';
import { describeEachEngine, dumpPlatformDatabase, freePort, freshPostgresDatabase, loginAs, postgresReachable, runCli, serverRoot, startTestPlatform, type StaffAgent, type TestPlatform } from '../test/harness.js';
import { migrateVault } from './migrate.js';
import { generateSigningKey, publicPemOf } from './signing.js';
import type { StoredRecord, VaultStore } from './types.js';
import { programArgs } from '../test/programs.js';

const YABU = '282227';
const ASAGO = '282251';
const personalValues = Object.values(DEMO_RESIDENTS).flat().flatMap((r) => [r.nameKanji, r.nameKana, r.address, r.birthDate, r.phone]);

async function startRemoteVault(dir: string, trustPem: string): Promise<{ url: string; publicPem: string; child: ChildProcess }> {
  const { privatePem, publicPem } = generateSigningKey();
  fs.writeFileSync(path.join(dir, 'vault.pem'), privatePem, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'platform.pub'), trustPem);
  const port = await freePort();
  const child = spawn(process.execPath, programArgs('cli', 'vault', 'serve', '--port', String(port),
    '--data-dir', path.join(dir, 'vault-db'), '--key', path.join(dir, 'vault.pem'), '--trust', path.join(dir, 'platform.pub')), {
    cwd: serverRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env },
  });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => { log += d; });
  child.stderr!.on('data', (d: Buffer) => { log += d; });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (await fetch(`${url}/healthz`).then((r) => r.ok).catch(() => false)) return { url, publicPem, child };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`remote vault did not start:\n${log}`);
}

/** A target store that lands records wrongly, to prove that verification catches it. */
function faulty(inner: VaultStore, fault: 'corrupt' | 'drop'): VaultStore {
  let n = 0;
  return Object.assign(Object.create(Object.getPrototypeOf(inner)) as VaultStore, inner, {
    location: inner.location, detail: inner.detail,
    put: async (r: StoredRecord) => {
      n++;
      if (fault === 'drop' && n === 2) return;
      const payload = fault === 'corrupt' && n === 2 ? { ...r.payload, address: `${r.payload.address}x` } : r.payload;
      await inner.put({ ...r, payload });
    },
    get: inner.get.bind(inner), delete: inner.delete.bind(inner), find: inner.find.bind(inner), count: inner.count.bind(inner), all: inner.all.bind(inner), close: inner.close.bind(inner),
  });
}

describeEachEngine('vault', (engine) => {
  let t: TestPlatform;
  let admin: StaffAgent;
  let platformAdmin: StaffAgent;
  let remote: { url: string; publicPem: string; child: ChildProcess } | undefined;
  const pgTargets: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    t = await startTestPlatform(engine);
    admin = await loginAs(t, 'yabu.admin');
    platformAdmin = await loginAs(t, 'yabu.platform');
  });
  afterAll(async () => {
    remote?.child.kill();
    await t?.close();
    for (const drop of pgTargets) await drop();
  });

  const residentsOf = async (code: string) => (await t.platform.db.owner.execute(sql`select id from resident where municipality_code = ${code} order by created_at`) as unknown as { rows: { id: string }[] }).rows.map((r) => r.id);
  const readBasic = (code: string, id: string, agent = admin) =>
    t.app.inject({ method: 'GET', url: `/api/municipalities/${code}/residents/${id}/personal/basic?purpose=${encodeURIComponent('counter enquiry')}`, headers: agent.headers });

  it('stores only sealed field values (AES-256-GCM, with a key id)', async () => {
    const records = await (await t.platform.vault.storeFor(YABU)).all(YABU);
    expect(records).toHaveLength(DEMO_RESIDENTS[YABU]!.length * 2);
    const text = JSON.stringify(records);
    for (const v of DEMO_RESIDENTS[YABU]!.map((r) => r.nameKanji)) expect(text).not.toContain(v);
    expect(records[0]!.keyId).toBe('k1');
    expect(Object.values(records[0]!.payload)[0]).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]*$/);
  });

  it('reads personal data for an authorised purpose and audits it', async () => {
    const [id] = await residentsOf(YABU);
    const res = await readBasic(YABU, id!);
    expect(res.statusCode).toBe(200);
    expect(res.json().data.nameKanji).toBe(DEMO_RESIDENTS[YABU]![0]!.nameKanji);
    const audit = await t.app.inject({ method: 'GET', url: `/api/municipalities/${YABU}/audit?action=vault.read&residentId=${id}`, headers: admin.headers });
    expect(audit.json().entries[0]).toMatchObject({ actor: 'staff:yabu.admin', purpose: 'counter enquiry', categories: ['basic'], residentId: id });
    expect(audit.json().entries[0].fields).toEqual(['address', 'birthDate', 'nameKana', 'nameKanji', 'sex']);
  });

  it('a ciphertext moved to another resident fails its integrity check instead of decrypting', async () => {
    const [a, b] = await residentsOf(ASAGO);
    const store = await t.platform.vault.storeFor(ASAGO);
    const recA = (await store.get(ASAGO, a!, 'contact'))!;
    const recB = (await store.get(ASAGO, b!, 'contact'))!;
    await store.put({ ...recB, payload: recA.payload });
    await expect(t.platform.vault.get({ municipalityCode: ASAGO, actor: 'test', purpose: 'integrity', requestId: 't' }, b!, 'contact')).rejects.toMatchObject({ code: 'vault-integrity' });
    await store.put(recB);
  });

  it('refuses writes while a migration runs; reads continue', async () => {
    await t.platform.municipalities.setVaultMigrating(ASAGO, true);
    const [id] = await residentsOf(ASAGO);
    const asago = await loginAs(t, 'asago.admin');
    const write = await t.app.inject({ method: 'PUT', url: `/api/municipalities/${ASAGO}/residents/${id}/personal/contact`, headers: asago.headers, payload: { purpose: 'update', data: { phone: '0' } } });
    expect(write.statusCode).toBe(503);
    expect(write.json().code).toBe('vault-migrating');
    expect((await readBasic(ASAGO, id!, asago)).statusCode).toBe(200);
    await t.platform.municipalities.setVaultMigrating(ASAGO, false);
  });

  describe('migration to a PostgreSQL vault', () => {
    const pgTarget = async () => {
      const fresh = await freshPostgresDatabase('kzvault');
      pgTargets.push(fresh.drop);
      return fresh.url;
    };

    it('aborts on a corrupted record, removes what it copied, and the old vault keeps serving', async (ctx) => {
      if (!(await postgresReachable())) return ctx.skip();
      const url = await pgTarget();
      const before = await (await t.platform.vault.storeFor(YABU)).count(YABU);
      for (const fault of ['corrupt', 'drop'] as const) {
        await expect(migrateVault(t.platform, YABU, { location: 'postgres', url }, {
          actor: 'test', requestId: 't', openTarget: async (p) => faulty(await t.platform.vault.openStore(YABU, p), fault),
        })).rejects.toMatchObject({ code: 'vault-migration-mismatch' });
        const m = await t.platform.municipalities.get(YABU);
        expect(m.vaultLocation).toBe('embedded');
        expect(m.vaultMigrating).toBe(false);
        const target = await t.platform.vault.openStore(YABU, { location: 'postgres', url });
        expect(await target.count(YABU)).toBe(0);
        await target.close();
        expect(await (await t.platform.vault.storeFor(YABU)).count(YABU)).toBe(before);
        const [id] = await residentsOf(YABU);
        expect((await readBasic(YABU, id!)).statusCode).toBe(200);
      }
    });

    it('moves a municipality with matching counts and hashes, then serves from PostgreSQL', async (ctx) => {
      if (!(await postgresReachable())) return ctx.skip();
      const url = await pgTarget();
      const res = await t.app.inject({ method: 'POST', url: `/api/municipalities/${ASAGO}/vault/migrate`, headers: platformAdmin.headers, payload: { to: 'postgres', url } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ from: 'embedded', to: 'postgres', records: DEMO_RESIDENTS[ASAGO]!.length * 2, verified: true });
      const vault = await t.app.inject({ method: 'GET', url: `/api/municipalities/${ASAGO}/vault`, headers: platformAdmin.headers });
      expect(vault.json()).toMatchObject({ location: 'postgres', recordCount: 6 });
      const asago = await loginAs(t, 'asago.admin', Date.now() + 30_000);
      const [id] = await residentsOf(ASAGO);
      expect((await readBasic(ASAGO, id!, asago)).json().data.nameKanji).toBe(DEMO_RESIDENTS[ASAGO]![0]!.nameKanji);
    });
  });

  describe('remote vault (`kazashi vault serve`, its own process)', () => {
    it('refuses unsigned requests', async () => {
      remote = await startRemoteVault(t.dataDir, publicPemOf(fs.readFileSync(t.config.vaultClientKeyFile, 'utf8')));
      const res = await fetch(`${remote.url}/v1/${YABU}/count`);
      expect(res.status).toBe(401);
    });

    it('the platform migrates Yabu to it and keeps working through it; the platform DB holds no personal value', async () => {
      const res = await t.app.inject({ method: 'POST', url: `/api/municipalities/${YABU}/vault/migrate`, headers: platformAdmin.headers, payload: { to: 'remote', url: remote!.url, publicKey: remote!.publicPem } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ from: 'embedded', to: 'remote', verified: true });

      const [id] = await residentsOf(YABU);
      const read = await readBasic(YABU, id!);
      expect(read.statusCode).toBe(200);
      expect(read.json().data.address).toBe(DEMO_RESIDENTS[YABU]![0]!.address);

      const created = await t.app.inject({
        method: 'POST', url: `/api/municipalities/${YABU}/residents`, headers: admin.headers,
        payload: { purpose: 'counter registration', personal: { basic: { nameKanji: '遠隔 保管子', address: '兵庫県養父市関宮1番地', birthDate: '1970-01-02' }, contact: { phone: '079-000-9999' } } },
      });
      expect(created.statusCode, created.body).toBe(201);
      const remoteCount = await (await t.platform.vault.storeFor(YABU)).count(YABU);
      expect(remoteCount).toBe(DEMO_RESIDENTS[YABU]!.length * 2 + 2);

      const dump = await dumpPlatformDatabase(t.platform.db);
      expect(dump).toContain(id!); // the dump is real: it holds the pseudonymous ids
      for (const v of [...personalValues, '遠隔 保管子', '兵庫県養父市関宮1番地', '1970-01-02', '079-000-9999']) expect(dump, v).not.toContain(v);
    });

    it('a vault answering with the wrong key is treated as unavailable', async () => {
      const other = generateSigningKey();
      await t.platform.municipalities.setVaultLocation(YABU, { vaultLocation: 'remote', vaultUrl: remote!.url, vaultPublicKey: other.publicPem, vaultMigrating: false });
      const [id] = await residentsOf(YABU);
      const res = await readBasic(YABU, id!);
      expect(res.statusCode).toBe(503);
      expect(res.json().code).toBe('vault-unavailable');
      await t.platform.municipalities.setVaultLocation(YABU, { vaultLocation: 'remote', vaultUrl: remote!.url, vaultPublicKey: remote!.publicPem, vaultMigrating: false });
      expect((await readBasic(YABU, id!)).statusCode).toBe(200);
    });
  });
});

describe('`kazashi vault migrate` (CLI) from embedded to postgres', () => {
  it('moves a demo municipality on disk and verifies it', async (ctx) => {
    if (!(await postgresReachable())) return ctx.skip();
    const dataDir = fs.mkdtempSync(path.join((await import('node:os')).tmpdir(), 'kazashi-cli-'));
    const target = await freshPostgresDatabase('kzvault');
    const env = { KAZASHI_DATA_DIR: dataDir };
    let platform: Platform | undefined = await createPlatform(loadConfig({ ...env, LOG_LEVEL: 'silent' }));
    try {
      await seedDemo(platform);
      await platform.close();
      platform = undefined;
      const out = await runCli(['vault', 'migrate', '--municipality', ASAGO, '--to', 'postgres', '--url', target.url], env);
      expect(out.stderr).toBe('');
      expect(out.code).toBe(0);
      expect(out.stdout).toContain(`vault of ${ASAGO} moved embedded → postgres: 6 records, counts and hashes verified`);
      const again = await runCli(['vault', 'migrate', '--municipality', ASAGO, '--to', 'postgres', '--url', target.url], env);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain('vault-same-location');
    } finally {
      await platform?.close();
      await target.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

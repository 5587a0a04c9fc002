// The audit chain off the request path: requests record entries in their own transaction without
// waiting for each other; the sealer gives every committed entry exactly one place in the chain;
// an entry not yet sealed is reported as such; tampering before or after sealing is caught.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, startTestPlatform, type TestPlatform } from '../test/harness.js';

const YABU = '282227';
const ASAGO = '282251';

describeEachEngine('audit sealer', (engine) => {
  let t: TestPlatform;
  const q = async <T>(query: ReturnType<typeof sql>) => ((await t.platform.db.owner.execute(query)) as unknown as { rows: T[] }).rows;
  const rec = (purpose: string) => ({ actor: 'staff:test', action: 'test.sealer', purpose, categories: [], fields: [], requestId: purpose });

  beforeAll(async () => { t = await startTestPlatform(engine); });
  afterAll(async () => t?.close());

  it('seals every committed entry exactly once, in one chain, however many transactions wrote at once', async () => {
    const { audit } = t.platform;
    await Promise.all(Array.from({ length: 60 }, (_, i) => audit.record(i % 3 === 0 ? ASAGO : YABU, rec(`burst ${i}`))));
    await audit.sealer.flush();
    const sealed = await q<{ purpose: string; n: number }>(sql`select purpose, count(*)::int as n from audit_entry where action = 'test.sealer' group by purpose`);
    expect(sealed).toHaveLength(60);
    expect(sealed.every((r) => r.n === 1)).toBe(true);
    expect(await q(sql`select * from audit_pending`)).toEqual([]);
    const verdicts = await audit.verifyAll();
    expect(verdicts.map((v) => [v.municipalityCode, v.ok, v.pending])).toEqual(expect.arrayContaining([[YABU, true, 0], [ASAGO, true, 0]]));
    // seq has no gaps and prev_hash links each entry to the one before.
    const chain = await q<{ seq: number; prev_hash: string; hash: string }>(sql`select seq, prev_hash, hash from audit_entry where municipality_code = ${YABU} order by seq`);
    chain.forEach((e, i) => {
      expect(Number(e.seq)).toBe(i + 1);
      if (i > 0) expect(e.prev_hash).toBe(chain[i - 1]!.hash);
    });
  });

  it('a rolled-back transaction leaves no entry, sealed or pending', async () => {
    await expect(t.platform.db.tenant({ municipalityCode: YABU }, async (tx) => {
      await t.platform.audit.append(tx, YABU, rec('rolled back'));
      throw new Error('the access failed');
    })).rejects.toThrow('the access failed');
    await t.platform.audit.sealer.flush();
    expect(await q(sql`select 1 from audit_trail where purpose = 'rolled back'`)).toEqual([]);
  });

  it('audited transactions of one municipality do not wait for each other (no chain lock until commit)', async () => {
    const { db, audit } = t.platform;
    if (engine === 'pglite') return; // one connection: transactions take turns by construction
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((r) => { releaseFirst = r; });
    let firstWrote!: () => void;
    const wrote = new Promise<void>((r) => { firstWrote = r; });
    const first = db.tenant({ municipalityCode: YABU }, async (tx) => {
      await audit.append(tx, YABU, rec('held open'));
      firstWrote();
      await firstHolds;
    });
    await wrote;
    const started = Date.now();
    // Before: this waited on pg_advisory_xact_lock until `first` committed.
    await audit.record(YABU, rec('not blocked'));
    const ms = Date.now() - started;
    releaseFirst();
    await first;
    expect(ms).toBeLessThan(2000);
    await audit.sealer.flush();
    expect((await q<{ n: number }>(sql`select count(*)::int as n from audit_entry where purpose in ('held open', 'not blocked')`))[0]!.n).toBe(2);
  });

  it('an entry left pending (its instance gone before sealing) is reported as such, then sealed by the sweep', async () => {
    const { audit } = t.platform;
    await audit.sealer.flush();
    await t.platform.db.owner.execute(sql`insert into audit_pending (municipality_code, at, actor, action, resident_id, purpose, categories, fields, request_id, canonical)
      values (${ASAGO}, '2026-12-01T00:00:00.000Z', 'staff:gone', 'test.orphan', null, 'orphan', '{}', '{}', 'req-orphan',
        ${JSON.stringify([ASAGO, '2026-12-01T00:00:00.000Z', 'staff:gone', 'test.orphan', null, 'orphan', [], [], 'req-orphan'])})`);
    const before = (await audit.verifyAll()).find((v) => v.municipalityCode === ASAGO)!;
    expect(before).toMatchObject({ ok: true, pending: 1, oldestPendingAt: '2026-12-01T00:00:00.000Z' });
    const deadline = Date.now() + 5000;
    while ((await q(sql`select 1 from audit_pending where purpose = 'orphan'`)).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const after = (await audit.verifyAll()).find((v) => v.municipalityCode === ASAGO)!;
    expect(after).toMatchObject({ ok: true, pending: 0 });
    expect(await q(sql`select 1 from audit_entry where purpose = 'orphan'`)).toHaveLength(1);
  });

  it('an entry altered while pending is caught once sealed (its hash covers what the request recorded)', async () => {
    const { db, audit } = t.platform;
    await audit.sealer.close(); // nothing seals behind the test's back meanwhile
    try {
      await audit.record(ASAGO, rec('original purpose'));
      await db.owner.transaction(async (tx) => {
        await tx.execute(sql.raw('set local session_replication_role = replica'));
        await tx.execute(sql`update audit_pending set purpose = 'rewritten' where purpose = 'original purpose'`);
      });
      await db.lookup((d) => d.execute(sql`select kazashi_audit_seal(${ASAGO}, 500)`));
      const v = (await audit.verifyAll()).find((x) => x.municipalityCode === ASAGO)!;
      expect(v.ok).toBe(false);
      expect(v.brokenAt?.reason).toBe('hash-mismatch');
    } finally {
      // Put the chain right again for the tests after this one: restore what was recorded.
      await db.owner.transaction(async (tx) => {
        await tx.execute(sql.raw('set local session_replication_role = replica'));
        await tx.execute(sql`update audit_entry set purpose = 'original purpose' where purpose = 'rewritten'`);
      });
    }
    expect((await audit.verifyAll()).every((v) => v.ok)).toBe(true);
  });

  it('the app role reads and records, but never writes the chain nor edits what waits for it', async () => {
    const asApp = (statement: string) => t.platform.db.tenant({ municipalityCode: YABU }, (tx) => tx.execute(sql.raw(statement)));
    await expect(asApp(`insert into audit_entry (municipality_code, seq, at, actor, action, purpose, categories, fields, request_id, prev_hash, hash)
      values ('${YABU}', 999999, now(), 'x', 'x', 'x', '{}', '{}', 'x', 'x', 'x')`)).rejects.toMatchObject({ cause: { message: expect.stringMatching(/permission denied/) } });
    await expect(asApp(`update audit_pending set purpose = 'x'`)).rejects.toThrow();
    await expect(asApp(`delete from audit_pending`)).rejects.toMatchObject({ cause: { message: expect.stringMatching(/permission denied/) } });
    await expect(asApp(`insert into audit_pending (municipality_code, at, actor, action, purpose, categories, fields, request_id, canonical)
      values ('${ASAGO}', now(), 'x', 'x', 'x', '{}', '{}', 'x', 'x')`)).rejects.toThrow();
  });
});

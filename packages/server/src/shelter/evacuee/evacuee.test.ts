// Evacuee service: walk-ins (idempotent, details only in the vault) and names() across joint use.
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { auditEntries, describeEachEngine, dumpPlatformDatabase, startTestPlatform, type TestPlatform } from '../../test/harness.js';
import { normaliseName } from './searchKeys.js';

const YABU = '282227';
const ASAGO = '282251';

it('normalises names: NFKC, no spaces, katakana as hiragana', () => {
  expect(normaliseName('ヤブ　タロウ')).toBe(normaliseName('やぶたろう'));
  expect(normaliseName('養父 太郎')).toBe('養父太郎');
});

describeEachEngine('evacuees', (engine) => {
  let t: TestPlatform;
  beforeAll(async () => { t = await startTestPlatform(engine); }, 180_000);
  afterAll(async () => { await t?.close(); });
  const ev = () => t.platform.shelters.evacuees;

  it('createWalkIn is idempotent: same id twice → one row, one vault record; the name is not in the platform DB', async () => {
    const id = crypto.randomUUID();
    const input = { source: 'staff-entry' as const, nameKanji: '避難 一郎', nameKana: 'ヒナン イチロウ', birthDate: '1960-01-02', needs: ['care' as const] };
    const opts = { evacueeId: id, cardKey: null, actor: 'staff:yabu.shelter', requestId: 'r1' };
    const a = await t.platform.db.tenant({ municipalityCode: YABU }, (tx) => ev().createWalkIn(tx, YABU, input, opts));
    const b = await t.platform.db.tenant({ municipalityCode: YABU }, (tx) => ev().createWalkIn(tx, YABU, input, opts));
    expect(b.id).toBe(a.id);
    expect(a.needs).toEqual(['care']);
    expect(a.searchKeys.length).toBe(2);
    const n = ((await t.platform.db.owner.execute(sql`select count(*)::int as n from evacuee where id = ${id}`)) as unknown as { rows: { n: number }[] }).rows[0]!.n;
    expect(n).toBe(1);
    const writes = (await auditEntries(t, 'vault.write', YABU)).filter((e) => e.resident_id === id);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ actor: 'staff:yabu.shelter', categories: ['evacuee'] });
    expect(await dumpPlatformDatabase(t.platform.db)).not.toContain('避難 一郎');
  });

  it('names() hides a partner evacuee without consent_joint_use and shows it with consent (audited in the owner chain)', async () => {
    const mk = (consent: boolean) => t.platform.db.tenant({ municipalityCode: YABU }, (tx) => ev().createWalkIn(tx, YABU,
      { source: 'staff-entry', nameKanji: consent ? '共有 花子' : '非共有 次郎', birthDate: '1990-03-04' },
      { evacueeId: crypto.randomUUID(), cardKey: null, actor: 'staff:yabu.shelter', requestId: 'r2' }));
    const hidden = await mk(false);
    await t.platform.db.owner.execute(sql`update evacuee set consent_joint_use = true where id = ${(await mk(true)).id}`);
    const rows = await t.platform.db.owner.execute(sql`select id from evacuee where municipality_code = ${YABU}`) as unknown as { rows: { id: string }[] };
    const all = await t.platform.db.tenant({ municipalityCode: YABU }, (tx) => ev().byIds(tx, rows.rows.map((r) => r.id)));
    const names = await ev().names(ASAGO, all, { actor: 'staff:asago.shelter', purpose: 'test roster', requestId: 'r3' });
    expect(names.has(hidden.id)).toBe(false);
    expect([...names.values()].map((v) => v.nameKanji)).toEqual(['共有 花子']);
    const finds = await auditEntries(t, 'vault.find', YABU);
    expect(finds.at(-1)).toMatchObject({ actor: `staff:asago.shelter@${ASAGO}`, purpose: 'test roster', fields: ['nameKana', 'nameKanji'] });
    const own = await ev().names(YABU, all, { actor: 'staff:yabu.shelter', purpose: 'own roster', requestId: 'r4' });
    expect(own.get(hidden.id)?.nameKanji).toBe('非共有 次郎');
  });
});

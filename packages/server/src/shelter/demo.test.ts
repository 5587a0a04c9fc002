// The demo disaster a first `npm start` shows (server.ts seeds it after the demo): a flood in 養父市
// run by the demo HQ and shelter accounts through the services, visible on the HQ overview, the public
// page and the supply list, with the evacuees' names in the vault only.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { describeEachEngine, loginAs, startTestPlatform, type StaffAgent, type TestPlatform } from '../test/harness.js';
import { seedDemoDisaster } from './demo.js';
import type { HqOverview, PublicShelterView, SupplyRequestView } from './contract.js';

const YABU = '282227';

describe('demo disaster setting', () => {
  it('is on for a development start, off for test servers (they declare their own), and can be set either way', () => {
    expect(loadConfig({}).demoDisaster).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).demoDisaster).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test', KAZASHI_DEMO_DISASTER: 'true' }).demoDisaster).toBe(true);
    expect(loadConfig({ KAZASHI_DEMO_DISASTER: 'false' }).demoDisaster).toBe(false);
  });
});

describeEachEngine('demo disaster', (engine) => {
  let t: TestPlatform;
  let hq: StaffAgent;
  let seeded: { disasterId: string; stays: number };

  beforeAll(async () => {
    t = await startTestPlatform(engine);
    seeded = await seedDemoDisaster(t.platform, { hq: t.demo.staff['yabu.hq']!, shelter: t.demo.staff['yabu.shelter']! });
    hq = await loginAs(t, 'yabu.hq');
  }, 180_000);
  afterAll(async () => { await t?.close(); });

  it('declares a flood, opens three shelters and checks nine people in, seen live by HQ and the public', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/municipalities/${YABU}/hq/overview`, headers: hq.headers });
    expect(res.statusCode, res.body).toBe(200);
    const o = res.json<HqOverview>();
    expect(o.disasters.map((d) => d.id)).toEqual([seeded.disasterId]);
    expect(o.disasters[0]!.declaredBy).toBe('yabu.hq');
    const open = o.shelters.filter((s) => s.status === 'open');
    expect(open).toHaveLength(3);
    expect(o.shelters.filter((s) => s.status === 'requested')).toHaveLength(1);
    expect(seeded.stays).toBe(9);
    expect(o.totals.present).toBe(9);
    // Households: 円山 (2), 八木 (2), グエン, 上山, 建屋 (2), スミス.
    expect(o.totals.households).toBe(6);
    const sum = (need: string) => o.shelters.reduce((n, s) => n + (s.needs as Record<string, number>)[need]!, 0);
    expect({ care: sum('care'), infant: sum('infant'), pet: sum('pet'), pregnancy: sum('pregnancy') }).toEqual({ care: 2, infant: 1, pet: 1, pregnancy: 1 });
    const languages = Object.assign({}, ...o.shelters.map((s) => s.languages)) as Record<string, number>;
    expect(languages).toEqual({ vi: 1, en: 1 });

    const pub = (await t.app.inject({ method: 'GET', url: `/api/public/municipalities/${YABU}/shelters` })).json<PublicShelterView[]>();
    expect(pub.reduce((n, s) => n + s.present, 0)).toBe(9);

    const supplies = await t.app.inject({ method: 'GET', url: `/api/municipalities/${YABU}/supply-requests`, headers: hq.headers });
    expect(supplies.statusCode, supplies.body).toBe(200);
    expect(supplies.json<SupplyRequestView[]>().map((r) => [r.itemCode, r.stockStatus])).toEqual([['infant-formula', 'short']]);
  });

  it('keeps the names in the vault: the platform database holds none of them', async () => {
    const dump = JSON.stringify(((await t.platform.db.owner.execute(sql`select e.*, s.* from evacuee e join shelter_stay s on s.evacuee_id = e.id`)) as unknown as { rows: unknown[] }).rows);
    for (const name of ['円山', 'マルヤマ', 'グエン', 'スミス', '1941-06-02']) expect(dump).not.toContain(name);
  });
});

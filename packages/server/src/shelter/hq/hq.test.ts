// The disaster HQ dashboard and the public congestion page, through HTTP on both engines. Shelters,
// evacuees and stays are written with the owner handle (the fixtures); the API reads them as the app
// role under row-level security.
import crypto from 'node:crypto';
import { and, eq, notInArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine, loginAs, startTestPlatform, type StaffAgent, type TestPlatform } from '../../test/harness.js';
import { congestionOf, ShelterHqService } from './service.js';
import { disaster, evacuee, shelter, shelterStay, type Need } from '../schema.js';
import type { HqOverview, PublicShelterView, ShelterSummary } from '../contract.js';

const YABU = '282227';
const ASAGO = '282251';

interface Person { home: string; household: string; sex?: 'male' | 'female' | 'other'; needs?: Need[]; language?: string }

/** Fixture writer: everything as the table owner, as a migration or the seed would. */
function fixtures(t: TestPlatform) {
  const db = t.platform.db.owner;
  let n = 0;
  return {
    async disaster(code: string) {
      return (await db.insert(disaster).values({ municipalityCode: code, kind: 'flood', nameJa: `令和8年大雨 ${code}`, nameEn: 'Heavy rain', declaredBy: 'test' }).returning())[0]!;
    },
    async shelter(code: string, status: 'open' | 'full' | 'closed' | 'requested', capacity: number | null, disasterId: string | null) {
      n++;
      return (await db.insert(shelter).values({
        municipalityCode: code, localId: `hq-test-${n}`, nameJa: `テスト避難所${n}`, nameEn: `Test shelter ${n}`, address: `テスト町${n}`,
        latitude: '35.4040', longitude: '134.7670', capacity, status, disasterId: status === 'closed' ? null : disasterId,
      }).returning())[0]!;
    },
    /** A person and their stay (place shelter unless `place` says otherwise). */
    async stay(host: string, shelterId: string | null, p: Person, status: 'in' | 'out' | 'moved' | 'left', place: 'shelter' | 'home' | 'car' = 'shelter') {
      const e = (await db.insert(evacuee).values({
        municipalityCode: p.home, householdId: p.household, source: 'staff-entry', needs: p.needs ?? [], sex: p.sex ?? null, language: p.language ?? null,
      }).returning())[0]!;
      const s = (await db.insert(shelterStay).values({
        municipalityCode: host, evacueeMunicipalityCode: p.home, evacueeId: e.id, householdId: p.household, place, shelterId,
        status, channel: 'staff', needs: p.needs ?? [], sex: p.sex ?? null, language: p.language ?? null,
        idempotencyKey: crypto.randomUUID(), createdBy: 'test', endedAt: status === 'in' || status === 'out' ? null : new Date(),
      }).returning())[0]!;
      return { evacuee: e, stay: s };
    },
    /** Closes every other shelter of the municipality (the demo seed's), so totals are exactly ours. */
    async closeAllBut(code: string, keep: string[]) {
      await db.update(shelter).set({ status: 'closed', disasterId: null }).where(and(eq(shelter.municipalityCode, code), notInArray(shelter.id, keep)));
    },
  };
}

describe('congestionOf', () => {
  it('bands present/capacity at 50 %, 80 % and 100 %, and lets a declared-full shelter read full', () => {
    expect(congestionOf('open', 0, 100)).toBe('empty');
    expect(congestionOf('open', 49, 100)).toBe('empty');
    expect(congestionOf('open', 50, 100)).toBe('some');
    expect(congestionOf('open', 79, 100)).toBe('some');
    expect(congestionOf('open', 80, 100)).toBe('crowded');
    expect(congestionOf('open', 99, 100)).toBe('crowded');
    expect(congestionOf('open', 100, 100)).toBe('full');
    expect(congestionOf('open', 130, 100)).toBe('full');
    expect(congestionOf('open', 5, null)).toBe('unknown');
    expect(congestionOf('open', 5, 0)).toBe('unknown');
    expect(congestionOf('full', 3, 100)).toBe('full');
    expect(congestionOf('full', 3, null)).toBe('full');
  });
});

describeEachEngine('shelter HQ overview and public page', (engine) => {
  let t: TestPlatform;
  let yabuStaff: StaffAgent;
  let asagoStaff: StaffAgent;
  // Yabu: s1 busy (capacity 5), s2 no capacity, s3 closed, s4 declared full. Asago: a1.
  const ids = { s1: '', s2: '', s3: '', s4: '', a1: '' };
  const personal = { evacueeIds: [] as string[], householdIds: [] as string[] };

  beforeAll(async () => {
    t = await startTestPlatform(engine);
    yabuStaff = await loginAs(t, 'yabu.shelter');
    asagoStaff = await loginAs(t, 'asago.shelter');
    const f = fixtures(t);
    const yd = await f.disaster(YABU);
    const ad = await f.disaster(ASAGO);
    ids.s1 = (await f.shelter(YABU, 'open', 5, yd.id)).id;
    ids.s2 = (await f.shelter(YABU, 'open', null, yd.id)).id;
    ids.s3 = (await f.shelter(YABU, 'closed', 50, null)).id;
    ids.s4 = (await f.shelter(YABU, 'full', 100, yd.id)).id;
    ids.a1 = (await f.shelter(ASAGO, 'open', 200, ad.id)).id;
    await f.closeAllBut(YABU, [ids.s1, ids.s2, ids.s4]);
    await f.closeAllBut(ASAGO, [ids.a1]);

    const h1 = crypto.randomUUID();
    const h2 = crypto.randomUUID();
    const h3 = crypto.randomUUID();
    const h4 = crypto.randomUUID();
    const written = [
      // s1: a Yabu family of three (one out), an Asago resident (joint use), and two who are no longer live.
      await f.stay(YABU, ids.s1, { home: YABU, household: h1, sex: 'male' }, 'in'),
      await f.stay(YABU, ids.s1, { home: YABU, household: h1, sex: 'female', needs: ['allergy', 'infant'] }, 'out'),
      await f.stay(YABU, ids.s1, { home: YABU, household: h1, language: 'vi', needs: ['allergy'] }, 'in'),
      await f.stay(YABU, ids.s1, { home: ASAGO, household: h2, sex: 'female', language: 'en', needs: ['care'] }, 'in'),
      await f.stay(YABU, ids.s1, { home: YABU, household: h3, sex: 'male' }, 'left'),
      await f.stay(YABU, ids.s1, { home: YABU, household: h3, sex: 'male' }, 'moved'),
      // s2: one Japanese speaker.
      await f.stay(YABU, ids.s2, { home: YABU, household: h3, sex: 'female', language: 'ja' }, 'in'),
      // Outside shelters: Yabu residents at home and in a car (hosted by Yabu itself).
      await f.stay(YABU, null, { home: YABU, household: h4 }, 'in', 'home'),
      await f.stay(YABU, null, { home: YABU, household: h4 }, 'out', 'car'),
      // Asago's own shelter: one Asago resident.
      await f.stay(ASAGO, ids.a1, { home: ASAGO, household: crypto.randomUUID(), sex: 'male', needs: ['pet'] }, 'in'),
    ];
    personal.evacueeIds = written.map((w) => w.evacuee.id);
    personal.householdIds = [h1, h2, h3, h4];
  });
  afterAll(async () => { await t?.close(); });

  const overviewOf = async (agent: StaffAgent, code: string) =>
    t.app.inject({ method: 'GET', url: `/api/municipalities/${code}/hq/overview`, headers: agent.headers });

  it('counts present, out, households, sex, needs, languages and joint-use guests per open shelter', async () => {
    const res = await overviewOf(yabuStaff, YABU);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const o = res.json<HqOverview>();
    expect(o.municipalityCode).toBe(YABU);
    expect(o.shelters.map((s) => s.shelterId).sort()).toEqual([ids.s1, ids.s2, ids.s4].sort());
    const s1 = o.shelters.find((s) => s.shelterId === ids.s1)!;
    expect(s1).toMatchObject({
      municipalityCode: YABU, status: 'open', capacity: 5, latitude: '35.4040', longitude: '134.7670',
      present: 3, out: 1, households: 2, male: 1, female: 2, fromOtherMunicipalities: 1,
      needs: { allergy: 2, medication: 0, care: 1, disability: 0, pregnancy: 0, infant: 1, pet: 0 },
      languages: { vi: 1, en: 1 },
      occupancyRate: 0.6,
    } satisfies Partial<ShelterSummary>);
    const s2 = o.shelters.find((s) => s.shelterId === ids.s2)!;
    expect(s2).toMatchObject({ present: 1, out: 0, households: 1, male: 0, female: 1, fromOtherMunicipalities: 0, languages: {}, occupancyRate: null });
    const s4 = o.shelters.find((s) => s.shelterId === ids.s4)!;
    expect(s4).toMatchObject({ status: 'full', present: 0, out: 0, households: 0, occupancyRate: 0 });
    expect(o.outside).toEqual({ home: 1, car: 1, tent: 0, other: 0 });
    expect(o.residentsElsewhere).toEqual([]);
    expect(o.totals).toEqual({ present: 4, out: 1, households: 3, shelters: 3, capacity: 105 });
    expect(o.disasters).toHaveLength(1);
    expect(o.disasters[0]).toMatchObject({ municipalityCode: YABU, kind: 'flood', endedAt: null });
  });

  it("Asago's overview counts only Asago's shelters and lists its residents in Yabu's under residentsElsewhere", async () => {
    const res = await overviewOf(asagoStaff, ASAGO);
    expect(res.statusCode, res.body).toBe(200);
    const o = res.json<HqOverview>();
    expect(o.shelters.map((s) => s.shelterId)).toEqual([ids.a1]);
    expect(o.shelters[0]).toMatchObject({ present: 1, out: 0, households: 1, male: 1, female: 0, fromOtherMunicipalities: 0, needs: { pet: 1, care: 0 } });
    expect(o.totals).toEqual({ present: 1, out: 0, households: 1, shelters: 1, capacity: 200 });
    // The Asago resident in Yabu's s1 is Asago's to know about, but not Yabu's whole shelter.
    expect(o.residentsElsewhere).toEqual([{ municipalityCode: YABU, shelterId: ids.s1, nameJa: expect.stringMatching(/^テスト避難所/), nameEn: expect.stringMatching(/^Test shelter/), count: 1 }]);
    expect(o.outside).toEqual({ home: 0, car: 0, tent: 0, other: 0 });
  });

  it("refuses another municipality's overview and event stream (403) and anonymous callers (401)", async () => {
    const res = await overviewOf(asagoStaff, YABU);
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    const events = await t.app.inject({ method: 'GET', url: `/api/municipalities/${YABU}/hq/events`, headers: asagoStaff.headers });
    expect(events.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/api/municipalities/${YABU}/hq/overview` })).statusCode).toBe(401);
    expect((await overviewOf(yabuStaff, '12345')).statusCode).toBe(400);
  });

  it('internal summaries: by id whatever the status, and only the host municipality\'s shelters', async () => {
    const hq = t.platform.shelters.hq;
    const byId = await hq.summaries(YABU, [ids.s3, ids.s1, ids.a1]);
    expect(byId.map((s) => s.shelterId).sort()).toEqual([ids.s1, ids.s3].sort());
    expect(byId.find((s) => s.shelterId === ids.s3)).toMatchObject({ status: 'closed', present: 0 });
    expect(byId.find((s) => s.shelterId === ids.s1)).toMatchObject({ present: 3, out: 1 });
    expect(await hq.summaries(YABU, [])).toEqual([]);
    expect((await hq.summaries(YABU)).map((s) => s.shelterId).sort()).toEqual([ids.s1, ids.s2, ids.s4].sort());
  });

  it('public page: open shelters with congestion bands and nothing personal, no login', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/public/municipalities/${YABU}/shelters` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toMatch(/public/);
    const list = res.json<PublicShelterView[]>();
    expect(list.map((s) => s.id).sort()).toEqual([ids.s1, ids.s2, ids.s4].sort());
    const by = new Map(list.map((s) => [s.id, s]));
    expect(by.get(ids.s1)).toMatchObject({ present: 3, capacity: 5, congestion: 'some', status: 'open', kind: 'general' });
    expect(by.get(ids.s2)).toMatchObject({ present: 1, capacity: null, congestion: 'unknown' });
    expect(by.get(ids.s4)).toMatchObject({ present: 0, congestion: 'full', status: 'full' });
    const allowed = ['id', 'nameJa', 'nameEn', 'address', 'latitude', 'longitude', 'kind', 'hazards', 'status', 'capacity', 'present', 'congestion', 'updatedAt'];
    for (const s of list) expect(Object.keys(s).sort()).toEqual([...allowed].sort());
    for (const id of [...personal.evacueeIds, ...personal.householdIds]) expect(res.body).not.toContain(id);
    for (const word of ['needs', 'languages', 'allergy', 'household', 'male', 'evacuee']) expect(res.body).not.toContain(word);
  });

  // Last: it adds stays the tests above do not expect.
  it('keeps one aggregate snapshot per municipality: a notice for an own shelter re-counts that shelter, one as home re-counts its residents elsewhere', async () => {
    const hq = t.platform.shelters.hq;
    const f = fixtures(t);
    const first = (await overviewOf(yabuStaff, YABU)).json<HqOverview>();
    const asagoFirst = (await overviewOf(asagoStaff, ASAGO)).json<HqOverview>();
    const present = (o: HqOverview) => o.shelters.find((s) => s.shelterId === ids.s4)!.present;
    // Written as the owner, without the notice every service write sends: the snapshot still answers,
    // as of its own time (generatedAt, updatedAt), for the overview and the internal summaries alike.
    await f.stay(YABU, ids.s4, { home: ASAGO, household: crypto.randomUUID() }, 'in');
    const again = (await overviewOf(yabuStaff, YABU)).json<HqOverview>();
    expect(present(again)).toBe(present(first));
    expect(again.generatedAt).toBe(first.generatedAt);
    expect(again.shelters[0]!.updatedAt).toBe(first.generatedAt);
    expect((await hq.summaries(YABU)).find((s) => s.shelterId === ids.s4)!.present).toBe(present(first));
    // The notice (the live hub calls this for every NOTIFY): Yabu, the host, re-counts that one shelter;
    // Asago, the evacuee's home, re-counts its residents in partners' shelters.
    const stats = { ...hq.aggregates.stats };
    hq.staysChanged({ host: YABU, home: ASAGO, shelterId: ids.s4 });
    const after = (await overviewOf(yabuStaff, YABU)).json<HqOverview>();
    expect(present(after)).toBe(present(first) + 1);
    expect(hq.aggregates.stats).toEqual({ ...stats, patched: stats.patched + 1 });
    // The patched snapshot says exactly what a full count says, for every shelter.
    const full = await new ShelterHqService(hq.deps).summaries(YABU);
    const counts = (list: ShelterSummary[]) => new Map(list.map((x) => [x.shelterId, { p: x.present, o: x.out, h: x.households, n: x.needs, l: x.languages }]));
    expect(counts(await hq.summaries(YABU))).toEqual(counts(full));
    expect(Date.parse(after.generatedAt)).toBeGreaterThanOrEqual(Date.parse(first.generatedAt));
    const asagoAfter = (await overviewOf(asagoStaff, ASAGO)).json<HqOverview>();
    const inS4 = (o: HqOverview) => o.residentsElsewhere.find((r) => r.shelterId === ids.s4)?.count ?? 0;
    expect(inS4(asagoAfter)).toBe(inS4(asagoFirst) + 1);
    expect(hq.aggregates.stats).toEqual({ ...stats, patched: stats.patched + 2 });

    // A report from outside a shelter (no shelter in the notice): the outside counts are re-counted alone.
    await f.stay(YABU, null, { home: YABU, household: crypto.randomUUID() }, 'in', 'car');
    hq.staysChanged({ host: YABU, home: null, shelterId: null });
    const outside = (await overviewOf(yabuStaff, YABU)).json<HqOverview>();
    expect(outside.outside.car).toBe(after.outside.car + 1);
    expect(outside.shelters.map((x) => x.present)).toEqual(after.shelters.map((x) => x.present));
    expect(hq.aggregates.stats).toEqual({ ...stats, patched: stats.patched + 3 });
  });

  it('an aggregate older than its age answers once more while a fresh one is computed in the background', async () => {
    const f = fixtures(t);
    const hq = new ShelterHqService(t.platform.shelters.hq.deps, 500);
    hq.trackChanges(true);
    // Tracking starts by computing the municipalities with a disaster under way, in the background.
    await hq.warming;
    const warmed = { ...hq.aggregates.stats };
    expect(warmed.computed).toBeGreaterThanOrEqual(1);
    const present = async () => (await hq.summaries(YABU)).find((s) => s.shelterId === ids.s2)!.present;
    const before = await present();
    expect(hq.aggregates.stats.computed).toBe(warmed.computed);
    // Written without a notice (as if one were lost): the snapshot does not know.
    await f.stay(YABU, ids.s2, { home: YABU, household: crypto.randomUUID() }, 'in');
    expect(await present()).toBe(before);
    await new Promise((r) => setTimeout(r, 600));
    // Past its age: the old snapshot answers at once, and the refresh starts.
    expect(await present()).toBe(before);
    expect(hq.aggregates.stats).toMatchObject({ computed: warmed.computed, refreshed: 1 });
    await expect.poll(present, { timeout: 5000 }).toBe(before + 1);
    expect(hq.aggregates.stats.computed).toBe(warmed.computed);
  });

  it('without change notices (no hub listening) or with no time to keep it, nothing is kept', async () => {
    const f = fixtures(t);
    const present = async (hq: ShelterHqService) => (await hq.summaries(YABU)).find((s) => s.shelterId === ids.s2)!.present;
    const untracked = new ShelterHqService(t.platform.shelters.hq.deps);
    const noAge = new ShelterHqService(t.platform.shelters.hq.deps, -1);
    noAge.trackChanges(true);
    const before = await present(untracked);
    expect(await present(noAge)).toBe(before);
    await f.stay(YABU, ids.s2, { home: YABU, household: crypto.randomUUID() }, 'in');
    expect(await present(untracked)).toBe(before + 1);
    expect(await present(noAge)).toBe(before + 1);
  });

  it('public page: a malformed code is 400 and an unknown municipality 404', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/public/municipalities/12/shelters' })).statusCode).toBe(400);
    const unknown = await t.app.inject({ method: 'GET', url: '/api/public/municipalities/131016/shelters' });
    expect(unknown.statusCode, unknown.body).toBe(404);
    expect(unknown.json<{ code: string }>().code).toBe('municipality-not-found');
  });
});

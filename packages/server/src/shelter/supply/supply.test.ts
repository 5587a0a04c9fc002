import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine, loginAs, startTestPlatform, type StaffAgent, type TestPlatform } from '../../test/harness.js';
import { catalogueItem, estimateItem, SUPPLY_CATALOGUE } from './catalogue.js';
import type { SupplyEstimate, SupplyRequestView } from '../contract.js';

const YABU = '282227';
const ASAGO = '282251';
const uuid = () => crypto.randomUUID();

describe('supply catalogue', () => {
  it('has unique codes and the contract rates', () => {
    expect(new Set(SUPPLY_CATALOGUE.map((i) => i.code)).size).toBe(SUPPLY_CATALOGUE.length);
    expect(catalogueItem('water')?.perPersonPerDay).toBe(3);
    expect(catalogueItem('meal')?.perPersonPerDay).toBe(3);
    expect(catalogueItem('toilet-pack')?.perPersonPerDay).toBe(5);
    expect(catalogueItem('meal-allergen-free')?.forNeed).toBe('allergy');
    expect(catalogueItem('pet-food')?.forNeed).toBe('pet');
    expect(catalogueItem('nope')).toBeUndefined();
  });

  it('estimates present × rate × days, forNeed items from the needs count', () => {
    expect(estimateItem(catalogueItem('water')!, 10, 2, 3)).toBe(90);
    expect(estimateItem(catalogueItem('meal-allergen-free')!, 10, 2, 3)).toBe(18);
    expect(estimateItem(catalogueItem('blanket')!, 10, 0, 3)).toBe(10);
  });
});

// Requests, orders and the estimate through HTTP on both engines. Shelters, disasters and stays are set
// up with the table owner (their own suites cover how they are made).
describeEachEngine('shelter supplies', (engine) => {
  let t: TestPlatform;
  let yabuShelter: StaffAgent;
  let yabuHq: StaffAgent;
  let asagoAdmin: StaffAgent;
  let disasterId: string;
  const sh = { a: '', b: '', asago: '' };

  const send = (agent: StaffAgent, method: 'POST' | 'PATCH' | 'GET', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: agent.headers, ...(payload ? { payload } : {}) });
  const request = (shelterId: string, body: object, agent = yabuShelter, code = YABU) =>
    send(agent, 'POST', `/api/municipalities/${code}/shelters/${shelterId}/supply-requests`, body);
  const patch = (id: string, status: string, agent = yabuHq) => send(agent, 'PATCH', `/api/municipalities/${YABU}/supply-requests/${id}`, { status });
  const q = async <T>(query: ReturnType<typeof sql>) => ((await t.platform.db.owner.execute(query)) as unknown as { rows: T[] }).rows;
  const body = (over: object = {}) => ({ idempotencyKey: uuid(), itemCode: 'water', needed: 120, inStock: 20, stockStatus: 'short', note: '給水車未着', ...over });

  beforeAll(async () => {
    t = await startTestPlatform(engine);
    yabuShelter = await loginAs(t, 'yabu.shelter');
    yabuHq = await loginAs(t, 'yabu.hq');
    asagoAdmin = await loginAs(t, 'asago.admin');
    const [d] = await q<{ id: string }>(sql`insert into disaster (municipality_code, kind, name_ja, declared_by) values (${YABU}, 'flood', '令和8年 円山川洪水', 'test') returning id`);
    disasterId = d!.id;
    const mk = async (code: string, localId: string, withDisaster: string | null) => (await q<{ id: string }>(sql`insert into shelter (municipality_code, local_id, name_ja, name_en, capacity, status, disaster_id)
      values (${code}, ${localId}, ${`物資テスト${localId}`}, ${`Supply test ${localId}`}, 300, 'open', ${withDisaster}) returning id`))[0]!.id;
    sh.a = await mk(YABU, 'S-A', disasterId);
    sh.b = await mk(YABU, 'S-B', disasterId);
    const [ad] = await q<{ id: string }>(sql`insert into disaster (municipality_code, kind, name_ja, declared_by) values (${ASAGO}, 'flood', '朝来 洪水', 'test') returning id`);
    sh.asago = await mk(ASAGO, 'S-X', ad!.id);
  }, 180_000);
  afterAll(async () => { await t?.close(); });

  it('creates a request (201) with the shelter and disaster; the same key and content replays it (200); other content is 409', async () => {
    const b = body();
    const first = await request(sh.a, b);
    expect(first.statusCode, first.body).toBe(201);
    const created = first.json<SupplyRequestView>();
    expect(created).toMatchObject({ shelterId: sh.a, shelterNameJa: '物資テストS-A', shelterNameEn: 'Supply test S-A', disasterId, itemCode: 'water',
      needed: 120, inStock: 20, stockStatus: 'short', status: 'requested', note: '給水車未着', requestedBy: 'staff:yabu.shelter', orderedAt: null });
    const again = await request(sh.a, b);
    expect(again.statusCode).toBe(200);
    expect(again.json<SupplyRequestView>().id).toBe(created.id);
    const other = await request(sh.a, { ...b, needed: 121 });
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe('idempotency-key-reused');
    const otherShelter = await request(sh.b, b);
    expect(otherShelter.statusCode).toBe(409);
    const rows = await q<{ n: number }>(sql`select count(*)::int as n from supply_request where idempotency_key = ${b.idempotencyKey}`);
    expect(rows[0]!.n).toBe(1);
  });

  it('concurrent retries of one request make exactly one row', async () => {
    const b = body({ itemCode: 'toilet-pack', needed: 500 });
    const results = await Promise.all(Array.from({ length: 8 }, () => request(sh.a, b)));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.json<SupplyRequestView>().id)).size).toBe(1);
    const rows = await q<{ n: number }>(sql`select count(*)::int as n from supply_request where idempotency_key = ${b.idempotencyKey}`);
    expect(rows[0]!.n).toBe(1);
  });

  it('rejects an unknown item (422), a partner\'s shelter (404) and a bad body (400)', async () => {
    const unknown = await request(sh.a, body({ itemCode: 'caviar' }));
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toMatchObject({ code: 'supply-item-unknown' });
    expect(unknown.json().messages.ja).toContain('caviar');
    const partner = await request(sh.asago, body());
    expect(partner.statusCode).toBe(404);
    expect(partner.json().code).toBe('shelter-not-found');
    expect((await request(sh.a, body({ needed: -1 }))).statusCode).toBe(400);
  });

  it('HQ orders, ships and receives, stamping each time; invalid steps are 409 supply-transition-invalid', async () => {
    const r = (await request(sh.a, body({ itemCode: 'blanket', needed: 50, inStock: 0 }))).json<SupplyRequestView>();
    const skip = await patch(r.id, 'shipped');
    expect(skip.statusCode).toBe(409);
    expect(skip.json()).toMatchObject({ code: 'supply-transition-invalid', details: { from: 'requested', to: 'shipped' } });
    const ordered = await patch(r.id, 'ordered');
    expect(ordered.statusCode, ordered.body).toBe(200);
    expect(ordered.json<SupplyRequestView>()).toMatchObject({ status: 'ordered', shippedAt: null });
    expect(ordered.json<SupplyRequestView>().orderedAt).not.toBeNull();
    const shipped = (await patch(r.id, 'shipped')).json<SupplyRequestView>();
    expect(shipped.status).toBe('shipped');
    expect(shipped.shippedAt).not.toBeNull();
    const received = (await patch(r.id, 'received')).json<SupplyRequestView>();
    expect(received.status).toBe('received');
    expect(Date.parse(received.receivedAt!)).toBeGreaterThanOrEqual(Date.parse(received.orderedAt!));
    const late = await patch(r.id, 'cancelled');
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('supply-transition-invalid');
    const c = (await request(sh.a, body({ itemCode: 'mask' }))).json<SupplyRequestView>();
    expect((await patch(c.id, 'ordered')).statusCode).toBe(200);
    expect((await patch(c.id, 'cancelled')).json<SupplyRequestView>().status).toBe('cancelled');
    expect((await patch(c.id, 'ordered')).statusCode).toBe(409);
    expect((await patch(crypto.randomUUID(), 'ordered')).statusCode).toBe(404);
  });

  it('shelter staff can request but not order (403)', async () => {
    const r = (await request(sh.a, body({ itemCode: 'sanitary', needed: 30 }))).json<SupplyRequestView>();
    const res = await patch(r.id, 'ordered', yabuShelter);
    expect(res.statusCode).toBe(403);
    const [row] = await q<{ status: string }>(sql`select status from supply_request where id = ${r.id}`);
    expect(row!.status).toBe('requested');
  });

  it('lists by status and shelter; Asago neither sees Yabu\'s requests nor may ask for them', async () => {
    const r = (await request(sh.b, body({ itemCode: 'meal', needed: 90 }))).json<SupplyRequestView>();
    const ofB = (await send(yabuShelter, 'GET', `/api/municipalities/${YABU}/supply-requests?shelterId=${sh.b}`)).json<SupplyRequestView[]>();
    expect(ofB.map((x) => x.id)).toContain(r.id);
    expect(ofB.every((x) => x.shelterId === sh.b)).toBe(true);
    const requested = (await send(yabuHq, 'GET', `/api/municipalities/${YABU}/supply-requests?status=requested`)).json<SupplyRequestView[]>();
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.every((x) => x.status === 'requested')).toBe(true);
    const asagoOwn = await request(sh.asago, body(), asagoAdmin, ASAGO);
    expect(asagoOwn.statusCode, asagoOwn.body).toBe(201);
    const asagoList = (await send(asagoAdmin, 'GET', `/api/municipalities/${ASAGO}/supply-requests`)).json<SupplyRequestView[]>();
    expect(asagoList.map((x) => x.id)).toEqual([asagoOwn.json<SupplyRequestView>().id]);
    expect((await send(asagoAdmin, 'GET', `/api/municipalities/${YABU}/supply-requests`)).statusCode).toBe(403);
    expect((await send(asagoAdmin, 'PATCH', `/api/municipalities/${YABU}/supply-requests/${r.id}`, { status: 'ordered' })).statusCode).toBe(403);
  });

  it('estimates demand from the people present and their needs, beside quantities still open', async () => {
    // Shelter B: 4 present (one infant, one allergy), one temporarily out; one left.
    const household = uuid();
    const stay = async (status: string, needs: string[]) => {
      const id = uuid();
      await q(sql`insert into evacuee (id, municipality_code, household_id, source, needs, sex) values (${id}, ${YABU}, ${household}, 'pre-registration', ${`{${needs.join(',')}}`}::text[], 'female')`);
      await q(sql`insert into shelter_stay (municipality_code, evacuee_municipality_code, evacuee_id, household_id, disaster_id, place, shelter_id, status, channel, needs, sex, idempotency_key, created_by, ended_at)
        values (${YABU}, ${YABU}, ${id}, ${household}, ${disasterId}, 'shelter', ${sh.b}, ${status}, 'staff', ${`{${needs.join(',')}}`}::text[], 'female', ${uuid()}, 'test', ${status === 'left' ? new Date().toISOString() : null})`);
    };
    await stay('in', ['infant']);
    await stay('in', ['allergy']);
    await stay('in', []);
    await stay('in', []);
    await stay('out', []);
    await stay('left', ['infant']);
    const w = (await request(sh.b, body({ itemCode: 'water', needed: 40 }))).json<SupplyRequestView>();
    const w2 = (await request(sh.b, body({ itemCode: 'water', needed: 7 }))).json<SupplyRequestView>();
    expect((await patch(w2.id, 'cancelled')).statusCode).toBe(200);
    expect((await patch(w.id, 'ordered')).statusCode).toBe(200);

    const res = await send(yabuShelter, 'GET', `/api/municipalities/${YABU}/supplies/estimate?days=2`);
    expect(res.statusCode, res.body).toBe(200);
    const est = res.json<SupplyEstimate>();
    expect(est.days).toBe(2);
    const row = (item: string) => est.rows.find((r) => r.shelterId === sh.b && r.itemCode === item)!;
    expect(row('water')).toEqual({ shelterId: sh.b, itemCode: 'water', present: 4, estimated: 4 * 3 * 2, requested: 40 });
    expect(row('infant-formula').estimated).toBe(1 * 6 * 2);
    expect(row('meal-allergen-free').estimated).toBe(1 * 3 * 2);
    expect(row('pet-food').estimated).toBe(0);
    expect(row('blanket').estimated).toBe(4);
    expect(row('meal').requested).toBe(90);
    expect(est.rows.filter((r) => r.shelterId === sh.a).every((r) => r.present === 0 && r.estimated === 0)).toBe(true);
    expect(est.rows.some((r) => r.shelterId === sh.asago)).toBe(false);
    const defaults = (await send(yabuHq, 'GET', `/api/municipalities/${YABU}/supplies/estimate`)).json<SupplyEstimate>();
    expect(defaults.days).toBe(3);
    expect((await send(yabuShelter, 'GET', `/api/municipalities/${YABU}/supplies/estimate?days=0`)).statusCode).toBe(400);
    expect((await send(asagoAdmin, 'GET', `/api/municipalities/${YABU}/supplies/estimate`)).statusCode).toBe(403);
  });
});

// Tenant isolation: staff of one municipality get 403/404 on every route that touches another's
// data, and the database itself (row-level security, app role not owning tables) hides foreign rows.
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_LOGIN_ROLE, describeEachEngine, loginAs, startTestPlatform, type StaffAgent, type TestPlatform } from '../test/harness.js';

const YABU = '282227';
const ASAGO = '282251';

describeEachEngine('tenant isolation', (engine) => {
  let t: TestPlatform;
  let yabuAdmin: StaffAgent;
  let asagoStaffId: string;
  let asagoResidentId: string;
  let groupId: string;

  const asOwner = async <T>(q: ReturnType<typeof sql>) => ((await t.platform.db.owner.execute(q)) as unknown as { rows: T[] }).rows;

  beforeAll(async () => {
    t = await startTestPlatform(engine);
    yabuAdmin = await loginAs(t, 'yabu.admin');
    await loginAs(t, 'asago.admin'); // so that foreign sessions exist
    asagoStaffId = (await asOwner<{ id: string }>(sql`select id from staff_account where login_name = 'asago.shelter'`))[0]!.id;
    asagoResidentId = (await asOwner<{ id: string }>(sql`select id from resident where municipality_code = ${ASAGO} limit 1`))[0]!.id;
    groupId = (await asOwner<{ id: string }>(sql`select id from joint_use_group limit 1`))[0]!.id;
  });
  afterAll(async () => t?.close());

  const cases: { name: string; method: 'GET' | 'POST' | 'PUT' | 'PATCH'; url: () => string; body?: unknown; expected: number[] }[] = [
    { name: 'list foreign staff', method: 'GET', url: () => `/api/municipalities/${ASAGO}/staff`, expected: [403] },
    { name: 'create foreign staff', method: 'POST', url: () => `/api/municipalities/${ASAGO}/staff`, body: { loginName: 'asago.intruder', displayName: 'x', roles: ['shelter_staff'], password: 'long-enough-password' }, expected: [403] },
    { name: 'edit foreign staff via foreign code', method: 'PATCH', url: () => `/api/municipalities/${ASAGO}/staff/${asagoStaffId}`, body: { disabled: true }, expected: [403] },
    { name: 'edit foreign staff via own code', method: 'PATCH', url: () => `/api/municipalities/${YABU}/staff/${asagoStaffId}`, body: { disabled: true }, expected: [404] },
    { name: 'unlock foreign staff via foreign code', method: 'POST', url: () => `/api/municipalities/${ASAGO}/staff/${asagoStaffId}/unlock`, expected: [403] },
    { name: 'unlock foreign staff via own code', method: 'POST', url: () => `/api/municipalities/${YABU}/staff/${asagoStaffId}/unlock`, expected: [404] },
    { name: 'rename foreign municipality', method: 'PATCH', url: () => `/api/municipalities/${ASAGO}`, body: { nameJa: '乗っ取り市' }, expected: [403] },
    { name: 'change foreign joint-use services', method: 'PUT', url: () => `/api/joint-use-groups/${groupId}/members/${ASAGO}/services`, body: { services: [] }, expected: [403] },
    { name: 'search foreign audit', method: 'GET', url: () => `/api/municipalities/${ASAGO}/audit`, expected: [403] },
    { name: 'verify foreign audit', method: 'GET', url: () => `/api/municipalities/${ASAGO}/audit/verify`, expected: [403] },
    { name: 'read foreign vault placement', method: 'GET', url: () => `/api/municipalities/${ASAGO}/vault`, expected: [403] },
    { name: 'migrate foreign vault', method: 'POST', url: () => `/api/municipalities/${ASAGO}/vault/migrate`, body: { to: 'embedded' }, expected: [403] },
    { name: 'list foreign residents', method: 'GET', url: () => `/api/municipalities/${ASAGO}/residents`, expected: [403] },
    { name: 'register foreign resident', method: 'POST', url: () => `/api/municipalities/${ASAGO}/residents`, body: { purpose: 'test', personal: { contact: { phone: '000' } } }, expected: [403] },
    { name: 'read foreign personal data via foreign code', method: 'GET', url: () => `/api/municipalities/${ASAGO}/residents/${asagoResidentId}/personal/basic?purpose=lookup`, expected: [403] },
    { name: 'read foreign personal data via own code', method: 'GET', url: () => `/api/municipalities/${YABU}/residents/${asagoResidentId}/personal/basic?purpose=lookup`, expected: [404] },
    { name: 'write foreign personal data via own code', method: 'PUT', url: () => `/api/municipalities/${YABU}/residents/${asagoResidentId}/personal/contact`, body: { purpose: 'update', data: { phone: '1' } }, expected: [404] },
    { name: 'write foreign personal data via foreign code', method: 'PUT', url: () => `/api/municipalities/${ASAGO}/residents/${asagoResidentId}/personal/contact`, body: { purpose: 'update', data: { phone: '1' } }, expected: [403] },
    { name: 'read foreign touch-only flows', method: 'GET', url: () => `/api/municipalities/${ASAGO}/touch-only-flows`, expected: [403] },
    { name: 'set foreign touch-only flows', method: 'PUT', url: () => `/api/municipalities/${ASAGO}/touch-only-flows`, body: { flows: ['shelter-reentry'] }, expected: [403] },
    { name: 'kiosk touch-only login at a foreign municipality', method: 'POST', url: () => `/api/municipalities/${ASAGO}/resident-sessions/touch`, body: { flow: 'shelter-reentry', certificate: 'AAAA' }, expected: [403] },
  ];

  it.each(cases)('$name → $expected', async (c) => {
    const before = await asOwner<{ n: string }>(sql`select (select count(*) from audit_trail where municipality_code = ${ASAGO})::text || '/' ||
      (select count(*) from staff_account where municipality_code = ${ASAGO} and not disabled)::text || '/' ||
      (select name_ja from municipality where code = ${ASAGO}) as n`);
    const res = await t.app.inject({ method: c.method, url: c.url(), headers: yabuAdmin.headers, ...(c.body ? { payload: c.body as object } : {}) });
    expect(c.expected).toContain(res.statusCode);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    const after = await asOwner<{ n: string }>(sql`select (select count(*) from audit_trail where municipality_code = ${ASAGO})::text || '/' ||
      (select count(*) from staff_account where municipality_code = ${ASAGO} and not disabled)::text || '/' ||
      (select name_ja from municipality where code = ${ASAGO}) as n`);
    expect(after).toEqual(before);
  });

  // Joint use: references across municipalities inside a request body. A partner's resident is found
  // by card or QR only (their presence is the consent); never by raw evacuee id, never by joining a
  // partner's household. Acting as 朝来市 shelter staff at an open 朝来市 shelter.
  describe('references to a joint-use partner in a request body', () => {
    let asagoShelter: StaffAgent;
    let asagoShelterId = '';
    let yabuEvacueeId = '';
    let yabuHouseholdId = '';
    const partnerCases = [
      { name: "check in a partner's consenting resident by raw evacuee id", url: () => `/api/municipalities/${ASAGO}/shelters/${asagoShelterId}/stays`, body: () => ({ idempotencyKey: crypto.randomUUID(), evacueeIds: [yabuEvacueeId] }), expected: [403, 404] },
      { name: "walk-in joining a partner's household", url: () => `/api/municipalities/${ASAGO}/shelters/${asagoShelterId}/stays`, body: () => ({ idempotencyKey: crypto.randomUUID(), walkIn: { source: 'staff-entry', nameKanji: '朝来 侵入', householdId: yabuHouseholdId } }), expected: [404], code: 'household-not-found' },
      { name: "read a partner's consenting resident by id", method: 'GET' as const, url: () => `/api/municipalities/${ASAGO}/evacuees/${yabuEvacueeId}`, expected: [404] },
    ];

    beforeAll(async () => {
      asagoShelter = await loginAs(t, 'asago.shelter');
      const [d] = await asOwner<{ id: string }>(sql`insert into disaster (municipality_code, kind, name_ja, declared_by) values (${ASAGO}, 'flood', '共同利用試験', 'test') returning id`);
      asagoShelterId = (await asOwner<{ id: string }>(sql`insert into shelter (municipality_code, local_id, name_ja, capacity, status, disaster_id)
        values (${ASAGO}, 'JU-1', '共同利用試験避難所', 100, 'open', ${d!.id}) returning id`))[0]!.id;
      yabuEvacueeId = crypto.randomUUID();
      yabuHouseholdId = crypto.randomUUID();
      await asOwner(sql`insert into evacuee (id, municipality_code, household_id, source, needs, sex, consent_joint_use)
        values (${yabuEvacueeId}, ${YABU}, ${yabuHouseholdId}, 'pre-registration', '{}', 'female', true)`);
    });

    const state = () => asOwner<{ n: string }>(sql`select (select count(*) from shelter_stay where municipality_code = ${ASAGO})::text || '/' ||
      (select count(*) from evacuee where municipality_code = ${ASAGO})::text || '/' ||
      (select count(*) from evacuee where household_id = ${yabuHouseholdId})::text as n`);

    it.each(partnerCases)('$name → $expected', async (c) => {
      const before = await state();
      const res = await t.app.inject({ method: c.method ?? 'POST', url: c.url(), headers: asagoShelter.headers, ...(c.body ? { payload: c.body() } : {}) });
      expect(c.expected, res.body).toContain(res.statusCode);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      if (c.code) expect(res.json().code).toBe(c.code);
      expect(await state()).toEqual(before);
    });

    it('the same requests for 朝来市\'s own evacuee and household succeed (the table is not vacuous)', async () => {
      const own = crypto.randomUUID();
      const household = crypto.randomUUID();
      await asOwner(sql`insert into evacuee (id, municipality_code, household_id, source, needs, sex) values (${own}, ${ASAGO}, ${household}, 'pre-registration', '{}', 'male')`);
      const url = `/api/municipalities/${ASAGO}/shelters/${asagoShelterId}/stays`;
      const byId = await t.app.inject({ method: 'POST', url, headers: asagoShelter.headers, payload: { idempotencyKey: crypto.randomUUID(), evacueeIds: [own] } });
      expect(byId.statusCode, byId.body).toBe(201);
      const walkIn = await t.app.inject({ method: 'POST', url, headers: asagoShelter.headers, payload: { idempotencyKey: crypto.randomUUID(), walkIn: { source: 'staff-entry', nameKanji: '朝来 家族', householdId: household } } });
      expect(walkIn.statusCode, walkIn.body).toBe(201);
      expect((await asOwner<{ n: number }>(sql`select count(*)::int as n from evacuee where household_id = ${household}`))[0]!.n).toBe(2);
    });
  });

  it('own-municipality requests still work for the same staff (the table above is not vacuous)', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/municipalities/${YABU}/staff`, headers: yabuAdmin.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ loginName: string }[]>().map((s) => s.loginName)).toContain('yabu.shelter');
    expect(res.json<{ loginName: string }[]>().map((s) => s.loginName)).not.toContain('asago.shelter');
  });

  it('requests run as the app role; on PostgreSQL the app even connects as a login role that owns nothing', async () => {
    const who = await t.platform.db.tenant({ municipalityCode: YABU }, async (tx) =>
      ((await tx.execute(sql`select current_user as cur, session_user as ses`)) as unknown as { rows: { cur: string; ses: string }[] }).rows[0]!);
    expect(who.cur).toBe('kazashi_app');
    if (engine === 'postgres') expect(who.ses).toBe(APP_LOGIN_ROLE);
  });

  it('the app role owns no table', async () => {
    const owners = await asOwner<{ tableowner: string }>(sql`select distinct tableowner from pg_tables where schemaname = 'public'`);
    expect(owners.map((o) => o.tableowner)).not.toContain('kazashi_app');
  });

  const tenantTables = ['staff_account', 'staff_session', 'resident', 'audit_entry', 'audit_head'];

  it.each(tenantTables)('raw SQL as the app role acting for Yabu sees no foreign rows in %s', async (table) => {
    const foreignAsOwner = await asOwner<{ n: number }>(sql.raw(`select count(*)::int as n from ${table} where municipality_code = '${ASAGO}'`));
    expect(foreignAsOwner[0]!.n).toBeGreaterThan(0); // the rows exist
    const seen = await t.platform.db.tenant({ municipalityCode: YABU }, async (tx) =>
      ((await tx.execute(sql.raw(`select municipality_code, count(*)::int as n from ${table} group by 1`))) as unknown as { rows: { municipality_code: string; n: number }[] }).rows);
    expect(seen.map((r) => r.municipality_code)).toEqual([YABU]);
    const none = await t.platform.db.tenant({ municipalityCode: null }, async (tx) =>
      ((await tx.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as { rows: { n: number }[] }).rows);
    expect(none[0]!.n).toBe(0);
  });

  it('the app role cannot write rows of another municipality', async () => {
    await expect(t.platform.db.tenant({ municipalityCode: YABU }, (tx) =>
      tx.execute(sql`insert into resident (municipality_code) values (${ASAGO})`))).rejects.toThrow();
    const updated = await t.platform.db.tenant({ municipalityCode: YABU }, async (tx) =>
      ((await tx.execute(sql`update staff_account set display_name = 'pwned' where municipality_code = ${ASAGO} returning id`)) as unknown as { rows: unknown[] }).rows);
    expect(updated).toHaveLength(0);
  });

  it('the app role may not update or delete audit entries, even its own', async () => {
    await expect(t.platform.db.tenant({ municipalityCode: YABU }, (tx) => tx.execute(sql`update audit_entry set actor = 'x'`))).rejects.toMatchObject({ cause: { message: expect.stringMatching(/permission denied/) } });
    await expect(t.platform.db.tenant({ municipalityCode: YABU }, (tx) => tx.execute(sql`delete from audit_entry`))).rejects.toMatchObject({ cause: { message: expect.stringMatching(/permission denied/) } });
  });
});

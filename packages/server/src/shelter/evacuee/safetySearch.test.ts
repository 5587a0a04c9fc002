// Pre-registration and safety search through HTTP as a logged-in resident (virtual card + PIN).
import crypto from 'node:crypto';
import { identify, MemoryTransport } from '@kazashi/jpki';
import { TestCa, type VirtualMyNumberCard } from '@kazashi/jpki/virtual';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { issueVirtualCard, signChallenge, staffTouch, writeTestTrust, type TestTrust } from '../../test/cards.js';
import { auditEntries, describeEachEngine, dumpPlatformDatabase, loginAs, startTestPlatform, type StaffAgent, type TestPlatform } from '../../test/harness.js';

const YABU = '282227';
const ASAGO = '282251';
const HOLDER = { name: '養父 花子', address: '兵庫県養父市八鹿町八鹿1234', birthDate: '1980-08-08', sex: 'female' as const };

let trust: TestTrust;
let card: VirtualMyNumberCard;
beforeAll(async () => {
  const ca = await TestCa.create();
  card = await issueVirtualCard(ca, HOLDER);
  await identify(new MemoryTransport(card));
  trust = await writeTestTrust(ca, 'safety');
}, 120_000);
afterAll(() => trust?.remove());

describeEachEngine('pre-registration and safety search', (engine) => {
  let t: TestPlatform;
  let admin: StaffAgent;
  let residentId: string;
  let cookie = '';
  let csrf = '';
  const req = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url, remoteAddress: '10.7.0.1', headers: { cookie, 'x-csrf-token': csrf }, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    t = await startTestPlatform(engine, { ...trust.env, KAZASHI_SAFETY_SEARCH_LIMIT: '4' });
    admin = await loginAs(t, 'yabu.admin');
    const reg = await t.app.inject({ method: 'POST', url: `/api/municipalities/${YABU}/registrations`, headers: admin.headers, payload: {
      ...(await staffTouch(t, admin, 'registration', card)), basicFour: HOLDER,
      consents: [{ purpose: 'shelter pre-registration', services: ['shelter'], categories: ['basic'], recipients: [ASAGO], termsVersion: '2026-04' }],
    } });
    expect(reg.statusCode, reg.body).toBe(201);
    residentId = reg.json<{ residentId: string }>().residentId;
    const ch = await t.app.inject({ method: 'POST', url: '/api/resident/challenges', remoteAddress: '10.7.0.1', payload: { municipalityCode: YABU, purpose: 'login' } });
    const c = ch.json<{ challengeId: string; challenge: string }>();
    const chCookie = (ch.cookies as { name: string; value: string }[]).map((k) => `${k.name}=${k.value}`).join('; ');
    const login = await t.app.inject({ method: 'POST', url: '/api/resident/login', remoteAddress: '10.7.0.1', headers: { ...(chCookie ? { cookie: chCookie } : {}) },
      payload: { municipalityCode: YABU, challengeId: c.challengeId, purpose: 'login', ...(await signChallenge(card, c.challenge)) } });
    expect(login.statusCode, login.body).toBe(200);
    csrf = login.json<{ csrfToken: string }>().csrfToken;
    cookie = (login.cookies as { name: string; value: string }[]).map((k) => `${k.name}=${k.value}`).join('; ');
  }, 180_000);
  afterAll(async () => { await t?.close(); });

  const member = (o: object) => ({ self: false, nameKanji: '', nameKana: '', birthDate: '2015-05-05', sex: '', allergies: '', medication: '', care: '', disability: '', pregnancy: false, infant: false, language: 'ja', notes: '', ...o });

  it('pre-registration: 404 before, round-trip after, needs derived, names only in the vault, members removed', async () => {
    expect((await req('GET', '/api/resident/me/shelter-registration')).json().code).toBe('pre-registration-not-found');
    const body = { phone: '090-0000-1111', pets: '犬1匹', consentInquiry: true, consentJointUse: true, members: [
      member({ self: true, nameKanji: '養父 花子', nameKana: 'ヤブ ハナコ', birthDate: '1980-08-08', sex: 'female', allergies: 'そば' }),
      member({ nameKanji: '養父 太郎坊', nameKana: '', medication: '喘息の吸入薬' }),
    ] };
    const put = await req('PUT', '/api/resident/me/shelter-registration', body);
    expect(put.statusCode, put.body).toBe(200);
    const got = (await req('GET', '/api/resident/me/shelter-registration')).json();
    expect(got).toMatchObject({ phone: '090-0000-1111', pets: '犬1匹', consentInquiry: true });
    expect(got.members[0]).toMatchObject({ evacueeId: residentId, self: true, nameKanji: '養父 花子', allergies: 'そば' });
    const child = got.members[1].evacueeId;
    const rows = (await t.platform.db.owner.execute(sql`select id, needs, removed_at from evacuee where resident_id = ${residentId} order by is_resident desc`) as unknown as { rows: { id: string; needs: string[]; removed_at: unknown }[] }).rows;
    expect(rows[0]!.needs.sort()).toEqual(['allergy', 'pet']);
    expect(rows.find((r) => r.id === child)!.needs).toEqual(['medication']);
    const dump = await dumpPlatformDatabase(t.platform.db);
    expect(dump).not.toContain('太郎坊');
    expect(dump).not.toContain('喘息');
    // Drop the child: marked removed, no longer listed.
    const again = await req('PUT', '/api/resident/me/shelter-registration', { ...body, members: [got.members[0]] });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().members).toHaveLength(1);
    const removed = (await t.platform.db.owner.execute(sql`select removed_at from evacuee where id = ${child}`) as unknown as { rows: { removed_at: unknown }[] }).rows[0]!;
    expect(removed.removed_at).not.toBeNull();
  });

  const walkIn = async (code: string, name: string, o: { consent: boolean; dv?: boolean }) => {
    const id = crypto.randomUUID();
    await t.platform.db.tenant({ municipalityCode: code }, (tx) => t.platform.shelters.evacuees.createWalkIn(tx, code,
      { source: 'staff-entry', nameKanji: name, birthDate: '1950-01-01', consentInquiry: o.consent }, { evacueeId: id, cardKey: null, actor: 'test', requestId: 'r' }));
    if (o.dv) await t.platform.db.owner.execute(sql`update evacuee set dv_protected = true where id = ${id}`);
    await t.platform.db.owner.execute(sql`insert into shelter_stay (municipality_code, evacuee_municipality_code, evacuee_id, household_id, place, channel, idempotency_key, created_by)
      select ${code}, ${code}, id, household_id, 'home', 'staff', ${id}, 'test' from evacuee where id = ${id}`);
  };
  const search = (name: string) => req('POST', '/api/resident/me/safety-search', { name, birthDate: '1950-01-01' });

  it('safety search: finds a consenting partner evacuee; DV-protected, non-consenting and unknown give the same body; audited without the name', async () => {
    await walkIn(ASAGO, '朝来 一郎', { consent: true });
    await walkIn(YABU, '保護 二郎', { consent: true, dv: true });
    await walkIn(YABU, '非同意 三郎', { consent: false });
    const hit = await search('朝来一郎');
    expect(hit.statusCode, hit.body).toBe(200);
    expect(hit.json().found).toEqual([expect.objectContaining({ municipalityCode: ASAGO, place: 'home', shelterName: null, municipalityName: expect.objectContaining({ ja: expect.any(String) }) })]);
    const bodies = await Promise.all(['保護 二郎', '非同意 三郎'].map(async (n) => (await search(n)).json().found));
    expect(bodies).toEqual([[], []]);
    const a = (await auditEntries(t, 'shelter.safety-search', YABU)).filter((e) => e.resident_id === residentId);
    expect(a.map((e) => e.purpose)).toEqual(['safety search (1 hit(s))', 'safety search (0 hit(s))', 'safety search (0 hit(s))']);
    expect(JSON.stringify(a)).not.toContain('朝来');
    // The found person's own municipality records that an inquirer was told (once: one hit).
    const told = await auditEntries(t, 'shelter.safety-search.answered', ASAGO);
    expect(told).toHaveLength(1);
    expect(told[0]!.actor).toBe(`resident:${YABU}`);
    expect(await auditEntries(t, 'shelter.safety-search.answered', YABU)).toHaveLength(0);
  });

  it('safety search is rate limited per resident: 429 after the limit', async () => {
    const r4 = await search('誰か');
    expect(r4.statusCode).toBe(200);
    expect(r4.json().remaining).toBe(0);
    const r5 = await search('誰か');
    expect(r5.statusCode).toBe(429);
    expect(r5.json().code).toBe('safety-search-rate-limited');
  });

  it('staff: GET an evacuee with vault details; PATCH needs updates the live stay copy; dvProtected needs shelter:command', async () => {
    const shelterStaff = await loginAs(t, 'yabu.shelter');
    const get = await t.app.inject({ method: 'GET', url: `/api/municipalities/${YABU}/evacuees/${residentId}`, headers: shelterStaff.headers });
    expect(get.statusCode, get.body).toBe(200);
    expect(get.json()).toMatchObject({ evacueeId: residentId, nameKanji: '養父 花子', details: expect.objectContaining({ phone: '090-0000-1111' }) });
    await t.platform.db.owner.execute(sql`insert into shelter_stay (municipality_code, evacuee_municipality_code, evacuee_id, household_id, place, channel, idempotency_key, created_by, needs)
      select ${YABU}, ${YABU}, id, household_id, 'home', 'staff', ${'k-' + residentId}, 'test', needs from evacuee where id = ${residentId}`);
    const url = `/api/municipalities/${YABU}/evacuees/${residentId}`;
    const dv = await t.app.inject({ method: 'PATCH', url, headers: shelterStaff.headers, payload: { dvProtected: true } });
    expect(dv.statusCode).toBe(403);
    const p = await t.app.inject({ method: 'PATCH', url, headers: shelterStaff.headers, payload: { needs: ['care'], notes: '車椅子' } });
    expect(p.statusCode, p.body).toBe(200);
    expect(p.json()).toMatchObject({ needs: ['care'], details: expect.objectContaining({ notes: '車椅子', nameKanji: '養父 花子' }) });
    const stay = (await t.platform.db.owner.execute(sql`select needs from shelter_stay where evacuee_id = ${residentId} and status in ('in','out')`) as unknown as { rows: { needs: string[] }[] }).rows[0]!;
    expect(stay.needs).toEqual(['care']);
    const ok = await t.app.inject({ method: 'PATCH', url, headers: admin.headers, payload: { dvProtected: true } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().dvProtected).toBe(true);
  });
});

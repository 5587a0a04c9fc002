// First registration, card login, card suspension and renewal, and consent records, end to end
// through HTTP on both engines. A TestCa stands in for J-LIS (test/cards.ts).
import crypto from 'node:crypto';
import { MemoryTransport, readBasicFour } from '@kazashi/jpki';
import { TestCa, type IssuedKey, type VirtualMyNumberCard } from '@kazashi/jpki/virtual';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dammValid } from '../resident/index.js';
import { CARD_INFO_PIN, issueVirtualCard, staffTouch, writeTestTrust, type Signer, type TestTrust } from '../test/cards.js';
import { auditEntries, describeEachEngine, dumpPlatformDatabase, loginAs, startTestPlatform, type StaffAgent, type TestPlatform } from '../test/harness.js';
import type { ConsentView } from './contract.js';

const YABU = '282227';
const LOOKUP_LIMIT = 30;
const ASAGO = '282251';
const HOLDER = { name: '養父 登録太郎', address: '兵庫県養父市八鹿町八鹿9999-1', birthDate: '1977-07-07', sex: 'male' as const };
const CONSENTS = [
  { purpose: 'shelter pre-registration', services: ['shelter'], categories: ['basic', 'health'], recipients: [ASAGO], termsVersion: '2026-04' },
  { purpose: 'online voting', services: ['voting'], categories: ['basic'], termsVersion: '2026-04' },
];

interface Registered { residentId: string; residentNumber: string; globalId: string }

let trust: TestTrust;
let virtual: VirtualMyNumberCard;
const keys: IssuedKey[] = [];

beforeAll(async () => {
  const ca = await TestCa.create();
  // 50 for the bulk registration, plus cards for the single scenarios; shared by both engines.
  for (let i = 0; i < 58; i++) keys.push(await ca.issue('auth'));
  virtual = await issueVirtualCard(ca, HOLDER);
  trust = await writeTestTrust(ca, 'registration');
}, 120_000);
afterAll(() => trust?.remove());

describeEachEngine('registration, card login and consents', (engine) => {
  let t: TestPlatform;
  let admin: StaffAgent;
  let asago: StaffAgent;
  let shelter: StaffAgent;
  let first: Registered;

  beforeAll(async () => {
    t = await startTestPlatform(engine, { ...trust.env, KAZASHI_RESIDENT_LOOKUP_RATE_LIMIT: String(LOOKUP_LIMIT) });
    admin = await loginAs(t, 'yabu.admin');
    asago = await loginAs(t, 'asago.admin');
    shelter = await loginAs(t, 'yabu.shelter');
  }, 120_000);
  afterAll(async () => { await t?.close(); });

  const post = (url: string, payload: object, agent = admin) => t.app.inject({ method: 'POST', url, headers: agent.headers, payload });
  const get = (url: string, agent = admin) => t.app.inject({ method: 'GET', url, headers: agent.headers });

  const touch = (signer: Signer, purpose: string, agent = admin) => staffTouch(t, agent, purpose, signer);
  const register = (body: object, agent = admin) => post(`/api/municipalities/${YABU}/registrations`, body, agent);
  const login = async (signer: Signer) => post(`/api/municipalities/${YABU}/card-logins`, await touch(signer, 'login'));
  const audit = (action: string) => auditEntries(t, action);

  it('registers with the virtual card: touch + PIN, basic four read through the card-info AP, a valid new resident ID', async () => {
    const body = await touch(virtual, 'registration');
    const { basicFour } = await readBasicFour(new MemoryTransport(virtual), CARD_INFO_PIN);
    const res = await register({ ...body, basicFour, consents: CONSENTS });
    expect(res.statusCode, res.body).toBe(201);
    first = res.json<Registered>();
    expect(first.residentNumber).toMatch(/^[0-9]{6}$/);
    expect(dammValid(first.residentNumber)).toBe(true);
    expect(first.globalId).toBe(`${YABU}-${first.residentNumber}`);

    const found = await get(`/api/municipalities/${YABU}/residents/by-number/${first.residentNumber}`);
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json()).toMatchObject({ id: first.residentId, residentNumber: first.residentNumber, categories: ['basic'] });

    const personal = await get(`/api/municipalities/${YABU}/residents/${first.residentId}/personal/basic?purpose=check`);
    expect(personal.json<{ data: Record<string, string> }>().data).toEqual({ nameKanji: HOLDER.name, address: HOLDER.address, birthDate: HOLDER.birthDate, sex: HOLDER.sex });
    const reg = (await audit('registration.register')).at(-1)!;
    expect(reg).toMatchObject({ actor: 'staff:yabu.admin', resident_id: first.residentId });
    expect((await audit('identity.card.bind')).at(-1)!.resident_id).toBe(first.residentId);
  });

  it('issues valid, different resident IDs across 50 registrations', async () => {
    const numbers = new Set<string>([first.residentNumber]);
    for (let i = 0; i < 50; i++) {
      const res = await register({ ...(await touch(keys[i]!, 'registration')), basicFour: { name: `住民 ${i}`, address: '兵庫県養父市', birthDate: '1990-01-01', sex: 'other' }, consents: [] });
      expect(res.statusCode, res.body).toBe(201);
      const r = res.json<Registered>();
      expect(dammValid(r.residentNumber)).toBe(true);
      numbers.add(r.residentNumber);
    }
    expect(numbers.size).toBe(51);
  }, 120_000);

  it('refuses a card already registered (card-already-registered) and registers nobody', async () => {
    const body = await touch(virtual, 'registration');
    const before = ((await t.platform.db.owner.execute(sql`select count(*)::int as n from resident`)) as unknown as { rows: { n: number }[] }).rows[0]!.n;
    const res = await register({ ...body, consents: [] });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json<{ code: string }>().code).toBe('card-already-registered');
    const after = ((await t.platform.db.owner.execute(sql`select count(*)::int as n from resident`)) as unknown as { rows: { n: number }[] }).rows[0]!.n;
    expect(after).toBe(before);
  });

  it('refuses a resident number with a typo (resident-number-invalid), before looking anything up', async () => {
    const n = first.residentNumber;
    const swapped = n[0] !== n[1] ? n[1]! + n[0]! + n.slice(2) : n.slice(0, 5) + ((Number(n[5]) + 1) % 10);
    const changed = ((Number(n[0]) + 3) % 10) + n.slice(1);
    for (const typo of [swapped, changed]) {
      const res = await get(`/api/municipalities/${YABU}/residents/by-number/${typo}`);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json<{ code: string; messages: { ja: string } }>()).toMatchObject({ code: 'resident-number-invalid' });
    }
  });

  it('rate-limits resident-ID lookups per staff session (429 rate-limited); another session is unaffected', async () => {
    const guesser = await loginAs(t, 'yabu.hq');
    for (let i = 0; i < LOOKUP_LIMIT; i++) {
      expect((await get(`/api/municipalities/${YABU}/residents/by-number/${String(100000 + i)}`, guesser)).statusCode).not.toBe(429);
    }
    const refused = await get(`/api/municipalities/${YABU}/residents/by-number/${first.residentNumber}`, guesser);
    expect(refused.statusCode, refused.body).toBe(429);
    expect(refused.json<{ code: string }>().code).toBe('rate-limited');
    expect((await get(`/api/municipalities/${YABU}/residents/by-number/${first.residentNumber}`)).statusCode).toBe(200);
  });

  it('refuses a registration touch made for another purpose, and staff without resident:register', async () => {
    const wrong = await register({ ...(await touch(keys[50]!, 'login')), consents: [] });
    expect(wrong.statusCode).toBe(400);
    const res = await register({ ...(await touch(keys[50]!, 'registration', shelter)), consents: [] }, shelter);
    expect(res.statusCode).toBe(403);
  });

  it('logs in by the bound card: resident ID and acr card-pin; an unknown card is card-not-registered', async () => {
    const res = await login(virtual);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ residentId: first.residentId, residentNumber: first.residentNumber, globalId: first.globalId, acr: 'urn:kazashi:acr:card-pin' });
    const unknown = await login(keys[51]!);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<{ code: string }>().code).toBe('card-not-registered');
  });

  it('refuses a suspended card (card-suspended); renewal binds a new card to the same resident number', async () => {
    const r = (await register({ ...(await touch(keys[52]!, 'registration')), consents: [] })).json<Registered>();
    expect((await login(keys[52]!)).statusCode).toBe(200);

    const suspended = await post(`/api/municipalities/${YABU}/residents/${r.residentId}/cards/suspend`, { reason: 'lost card reported at the counter' });
    expect(suspended.statusCode, suspended.body).toBe(200);
    expect(suspended.json<{ status: string }>().status).toBe('suspended');
    const refused = await login(keys[52]!);
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ code: string }>().code).toBe('card-suspended');

    // A card already bound to someone cannot be used for renewal.
    const taken = await post(`/api/municipalities/${YABU}/residents/${r.residentId}/cards/rebind`, await touch(keys[0]!, 'card-renewal'));
    expect(taken.json<{ code: string }>().code).toBe('card-already-registered');

    const rebound = await post(`/api/municipalities/${YABU}/residents/${r.residentId}/cards/rebind`, await touch(keys[53]!, 'card-renewal'));
    expect(rebound.statusCode, rebound.body).toBe(201);
    const ok = await login(keys[53]!);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ residentId: r.residentId, residentNumber: r.residentNumber });
    expect((await login(keys[52]!)).json<{ code: string }>().code).toBe('card-suspended');

    const cards = (await get(`/api/municipalities/${YABU}/residents/${r.residentId}/cards`)).json<{ status: string; replacedBy: string | null; id: string }[]>();
    expect(cards.map((c) => c.status)).toEqual(['active', 'replaced']);
    expect(cards[1]!.replacedBy).toBe(cards[0]!.id);
    expect((await audit('identity.card.suspend')).at(-1)!.resident_id).toBe(r.residentId);
    expect((await audit('identity.card.rebind')).at(-1)!.resident_id).toBe(r.residentId);

    // Renewal of an active card: the old one ends at once.
    const again = await post(`/api/municipalities/${YABU}/residents/${r.residentId}/cards/rebind`, await touch(keys[54]!, 'card-renewal'));
    expect(again.statusCode, again.body).toBe(201);
    expect((await login(keys[53]!)).json<{ code: string }>().code).toBe('card-suspended');
    expect((await login(keys[54]!)).json<{ residentNumber: string }>().residentNumber).toBe(r.residentNumber);
  });

  it('lists, withdraws (immediate effect) and exports consent records, each audited', async () => {
    const base = `/api/municipalities/${YABU}/residents/${first.residentId}/consents`;
    const list = (await get(base)).json<ConsentView[]>();
    expect(list).toHaveLength(2);
    const voting = list.find((c) => c.purpose === 'online voting')!;
    expect(list.find((c) => c.purpose === 'shelter pre-registration')).toMatchObject({
      subject: first.residentId, controller: YABU, scope: { services: ['shelter'], dataCategories: ['basic', 'health'] }, recipients: [ASAGO],
      termsVersion: '2026-04', withdrawnAt: null, status: 'active',
    });
    const w = await post(`${base}/${voting.id}/withdraw`, {});
    expect(w.statusCode, w.body).toBe(200);
    expect(w.json<ConsentView>()).toMatchObject({ id: voting.id, status: 'withdrawn' });
    expect((await get(base)).json<ConsentView[]>().find((c) => c.id === voting.id)!.withdrawnAt).not.toBeNull();

    const exp = await get(`${base}/export`);
    expect(exp.statusCode, exp.body).toBe(200);
    const doc = exp.json<{ subject: string; controller: string; records: ConsentView[] }>();
    expect(doc).toMatchObject({ subject: first.residentId, controller: YABU });
    expect(doc.records.map((r) => r.status).sort()).toEqual(['active', 'withdrawn']);
    expect((await audit('registration.consent.withdraw')).at(-1)).toMatchObject({ actor: 'staff:yabu.admin', resident_id: first.residentId });
    expect((await audit('registration.consent.export')).at(-1)!.resident_id).toBe(first.residentId);

    const unknown = await post(`${base}/${crypto.randomUUID()}/withdraw`, {});
    expect(unknown.json<{ code: string }>().code).toBe('consent-not-found');
  });

  it('keeps other municipalities out: 403 on their code, 404 for a resident of theirs', async () => {
    const res = [
      await register({ ...(await touch(keys[55]!, 'registration')), consents: [] }, asago),
      await post(`/api/municipalities/${YABU}/card-logins`, await touch(keys[55]!, 'login'), asago),
      await get(`/api/municipalities/${YABU}/residents/${first.residentId}/consents`, asago),
      await get(`/api/municipalities/${YABU}/residents/${first.residentId}/consents/export`, asago),
      await post(`/api/municipalities/${YABU}/residents/${first.residentId}/cards/suspend`, { reason: 'not theirs' }, asago),
      await get(`/api/municipalities/${YABU}/residents/by-number/${first.residentNumber}`, asago),
    ];
    for (const r of res) expect(r.statusCode, r.body).toBe(403);
    // Asago staff asking about a Yabu resident under their own code find nothing.
    const own = `/api/municipalities/${ASAGO}/residents/${first.residentId}`;
    expect((await get(`${own}/consents/export`, asago)).statusCode).toBe(404);
    expect((await get(`${own}/consents`, asago)).json()).toEqual([]);
    expect((await post(`${own}/cards/suspend`, { reason: 'not theirs' }, asago)).statusCode).toBe(404);
    expect((await get(`/api/municipalities/${ASAGO}/residents/by-number/${first.residentNumber}`, asago)).statusCode).toBe(404);
    // And the rows are invisible to the app role acting for Asago.
    const seen = await t.platform.db.tenant({ municipalityCode: ASAGO }, async (tx) =>
      ((await tx.execute(sql`select (select count(*) from card_binding)::int + (select count(*) from consent_record)::int as n`)) as unknown as { rows: { n: number }[] }).rows[0]!.n);
    expect(seen).toBe(0);
  });

  it('keeps none of the registered basic-four values in the platform database', async () => {
    const dump = await dumpPlatformDatabase(t.platform.db);
    expect(dump).toContain('card_binding');
    expect(dump).toContain('consent_record');
    for (const v of [HOLDER.name, HOLDER.address, '八鹿9999', '住民 7', '1977-07-07']) expect(dump).not.toContain(v);
  });
});

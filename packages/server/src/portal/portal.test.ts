// Resident sessions and the resident's own My page, end to end through HTTP on both engines. A TestCa
// stands in for J-LIS and a VirtualMyNumberCard (in memory) for the resident's card (test/cards.ts).
import { identify, MemoryTransport } from '@kazashi/jpki';
import { TestCa, type IssuedKey, type VirtualMyNumberCard } from '@kazashi/jpki/virtual';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { b64, issueVirtualCard, signChallenge, staffTouch as touchAt, writeTestTrust, type Signer, type TestTrust } from '../test/cards.js';
import { auditEntries, describeEachEngine, loginAs, startTestPlatform, type StaffAgent, type TestPlatform } from '../test/harness.js';
import { actorOf } from './service.js';

const YABU = '282227';
const ASAGO = '282251';
const HOLDER = { name: '養父 花子', address: '兵庫県養父市八鹿町八鹿1234', birthDate: '1980-08-08', sex: 'female' as const };
const CARD_PIN = 'urn:kazashi:acr:card-pin';
const CARD_TOUCH = 'urn:kazashi:acr:card-touch';

let trust: TestTrust;
let virtual: VirtualMyNumberCard;
/** The virtual card's auth certificate as a kiosk reads it (no PIN). */
let virtualCertificate: () => string;
const keys: IssuedKey[] = [];

beforeAll(async () => {
  const ca = await TestCa.create();
  for (let i = 0; i < 6; i++) keys.push(await ca.issue('auth'));
  virtual = await issueVirtualCard(ca, HOLDER);
  const { authCertificate } = await identify(new MemoryTransport(virtual));
  virtualCertificate = () => b64(authCertificate);
  trust = await writeTestTrust(ca, 'portal');
}, 120_000);
afterAll(() => trust?.remove());

/** A resident's browser: a cookie jar, the session's CSRF token and its own client address. */
class Browser {
  cookies = new Map<string, string>();
  csrf = '';
  constructor(readonly t: TestPlatform, readonly ip: string) {}
  private absorb(res: LightMyRequestResponse) {
    for (const c of res.cookies as { name: string; value: string; expires?: Date }[]) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }
  headers(csrf = true): Record<string, string> {
    const h: Record<string, string> = {};
    if (this.cookies.size) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (csrf && this.csrf) h['x-csrf-token'] = this.csrf;
    return h;
  }
  async request(method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, opts: { csrf?: boolean } = {}) {
    // Each browser connects from its own address (no proxy is trusted: X-Forwarded-For would not count).
    return this.absorb(await this.t.app.inject({ method, url, remoteAddress: this.ip, headers: this.headers(opts.csrf ?? true), ...(payload ? { payload } : {}) }));
  }
  get = (url: string) => this.request('GET', url);
  post = (url: string, payload: object = {}, opts: { csrf?: boolean } = {}) => this.request('POST', url, payload, opts);

  async challenge(code = YABU) {
    const res = await this.post('/api/resident/challenges', { municipalityCode: code, purpose: 'login' });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ challengeId: string; challenge: string }>();
  }
  /** A login touch signed by `signer`: by default the virtual card with its PIN, through the card's own protocol. */
  async cardTouch(code = YABU, signer: Signer = virtual) {
    const c = await this.challenge(code);
    return { municipalityCode: code, challengeId: c.challengeId, purpose: 'login', ...(await signChallenge(signer, c.challenge)) };
  }
  keyTouch = (key: IssuedKey, code = YABU) => this.cardTouch(code, key);
  async login(touch: object) {
    const res = await this.post('/api/resident/login', touch);
    if (res.statusCode === 200) this.csrf = res.json<{ csrfToken: string }>().csrfToken;
    return res;
  }
}

describe('access log actors', () => {
  it('reads staff, the resident, OIDC clients and anything else for display', () => {
    expect(actorOf('staff:yabu.admin')).toEqual({ actorKind: 'staff', actor: 'yabu.admin' });
    expect(actorOf('resident:self')).toEqual({ actorKind: 'resident', actor: 'self' });
    expect(actorOf('oidc:shelter-app')).toEqual({ actorKind: 'service', actor: 'shelter-app' });
    expect(actorOf('system:seed')).toEqual({ actorKind: 'system', actor: 'system:seed' });
    expect(actorOf('cli')).toEqual({ actorKind: 'system', actor: 'cli' });
  });
});

describeEachEngine('resident sessions and My page', (engine) => {
  let t: TestPlatform;
  let admin: StaffAgent;
  let asagoAdmin: StaffAgent;
  let shelter: StaffAgent;
  let hanako: { residentId: string; residentNumber: string; globalId: string };
  let ipn = 0;
  const ip = () => `10.9.${engine === 'pglite' ? 1 : 2}.${++ipn}`;
  let browser: Browser;

  const staffPost = (url: string, payload: object, agent = admin) => t.app.inject({ method: 'POST', url, headers: agent.headers, payload });
  const staffTouch = (signer: Signer, purpose: string, agent = admin, code = YABU) => touchAt(t, agent, purpose, signer, code);
  const audit = (action: string, code = YABU) => auditEntries(t, action, code);

  beforeAll(async () => {
    t = await startTestPlatform(engine, { ...trust.env, KAZASHI_LOGIN_RATE_LIMIT: '12' });
    admin = await loginAs(t, 'yabu.admin');
    asagoAdmin = await loginAs(t, 'asago.admin');
    shelter = await loginAs(t, 'yabu.shelter');
    // Hanako registers at the counter with the virtual card (basic four typed in) and two consents.
    const res = await staffPost(`/api/municipalities/${YABU}/registrations`, {
      ...(await staffTouch(virtual, 'registration')), basicFour: HOLDER,
      consents: [
        { purpose: 'shelter pre-registration', services: ['shelter'], categories: ['basic'], recipients: [ASAGO], termsVersion: '2026-04' },
        { purpose: 'online voting', services: ['voting'], categories: ['basic'], termsVersion: '2026-04' },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    hanako = res.json();
  }, 120_000);
  afterAll(async () => { await t?.close(); });
  beforeEach(() => { browser = new Browser(t, ip()); });

  it('logs in with the virtual card and PIN: a kazashi_resident cookie (httpOnly, SameSite=Strict), acr card-pin; /session works', async () => {
    const res = await browser.login(await browser.cardTouch());
    expect(res.statusCode, res.body).toBe(200);
    const cookie = (res.cookies as { name: string; httpOnly?: boolean; sameSite?: string; path?: string }[]).find((c) => c.name === 'kazashi_resident')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const view = res.json();
    expect(view).toMatchObject({
      municipalityCode: YABU, municipalityName: { ja: expect.any(String), en: expect.any(String) }, residentId: hanako.residentId,
      residentNumber: hanako.residentNumber, globalId: hanako.globalId, acr: CARD_PIN, csrfToken: expect.any(String),
    });
    expect(Date.parse(view.expiresAt) - Date.parse(view.authTime)).toBe(30 * 60_000);
    const session = await browser.get('/api/resident/session');
    expect(session.statusCode, session.body).toBe(200);
    expect(session.json()).toEqual(view);
    expect((await audit('portal.login')).at(-1)).toMatchObject({ actor: 'resident:self', resident_id: hanako.residentId });
    expect((await audit('identity.verify')).at(-1)).toMatchObject({ actor: 'resident:self' });
  });

  it('a second login issues a new token and ends the first session (no fixation)', async () => {
    expect((await browser.login(await browser.cardTouch())).statusCode).toBe(200);
    const first = browser.cookies.get('kazashi_resident')!;
    expect((await browser.login(await browser.cardTouch())).statusCode).toBe(200);
    const second = browser.cookies.get('kazashi_resident')!;
    expect(second).not.toBe(first);
    const old = await t.app.inject({ method: 'GET', url: '/api/resident/session', headers: { cookie: `kazashi_resident=${first}` } });
    expect(old.statusCode).toBe(401);
    expect(old.json<{ code: string }>().code).toBe('session-expired');
    expect((await browser.get('/api/resident/session')).statusCode).toBe(200);
  });

  it('requires the CSRF token for logout; logout ends the session', async () => {
    expect((await browser.login(await browser.cardTouch())).statusCode).toBe(200);
    const noCsrf = await browser.post('/api/resident/logout', {}, { csrf: false });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json<{ code: string }>().code).toBe('csrf-failed');
    const token = browser.cookies.get('kazashi_resident')!;
    const out = await browser.post('/api/resident/logout');
    expect(out.statusCode, out.body).toBe(204);
    expect(browser.cookies.has('kazashi_resident')).toBe(false);
    const after = await t.app.inject({ method: 'GET', url: '/api/resident/session', headers: { cookie: `kazashi_resident=${token}` } });
    expect(after.statusCode).toBe(401);
    expect((await browser.get('/api/resident/session')).json<{ code: string }>().code).toBe('unauthenticated');
  });

  it('refuses a session past its lifetime (session-expired) and clears the cookie', async () => {
    const res = await browser.login(await browser.cardTouch());
    expect(res.statusCode).toBe(200);
    await t.platform.db.owner.execute(sql`update resident_session set expires_at = now() - interval '1 second'
      where resident_id = ${hanako.residentId} and ended_at is null and created_at = ${new Date(res.json<{ authTime: string }>().authTime).toISOString()}::timestamptz`);
    const after = await browser.get('/api/resident/session');
    expect(after.statusCode).toBe(401);
    expect(after.json<{ code: string }>().code).toBe('session-expired');
    expect(browser.cookies.has('kazashi_resident')).toBe(false);
  });

  it('refuses a replayed challenge, and a challenge taken by another browser', async () => {
    const touch = await browser.cardTouch();
    expect((await browser.login(touch)).statusCode).toBe(200);
    const replay = await browser.login(touch);
    expect(replay.statusCode).toBe(409);
    expect(replay.json<{ code: string }>().code).toBe('challenge-replayed');
    const other = new Browser(t, ip());
    const stolen = await other.login(await browser.cardTouch());
    expect(stolen.statusCode).toBe(409);
    expect(stolen.json<{ code: string }>().code).toBe('challenge-mismatch');
  });

  it('refuses a suspended card with a clear problem (card-suspended), an unknown one (card-not-registered)', async () => {
    const reg = await staffPost(`/api/municipalities/${YABU}/registrations`, { ...(await staffTouch(keys[0]!, 'registration')), consents: [] });
    expect(reg.statusCode, reg.body).toBe(201);
    const { residentId } = reg.json<{ residentId: string }>();
    expect((await browser.login(await browser.keyTouch(keys[0]!))).statusCode).toBe(200);
    expect((await staffPost(`/api/municipalities/${YABU}/residents/${residentId}/cards/suspend`, { reason: 'lost card reported' })).statusCode).toBe(200);
    const other = new Browser(t, ip());
    const refused = await other.login(await other.keyTouch(keys[0]!));
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ code: string; messages: { ja: string } }>()).toMatchObject({ code: 'card-suspended' });
    const unknown = await browser.login(await browser.keyTouch(keys[1]!));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<{ code: string }>().code).toBe('card-not-registered');
  });

  it('rate-limits the public challenge route per client address (429 rate-limited), other addresses unaffected', async () => {
    for (let i = 0; i < 12; i++) expect((await browser.post('/api/resident/challenges', { municipalityCode: YABU, purpose: 'login' })).statusCode).toBe(201);
    const limited = await browser.post('/api/resident/challenges', { municipalityCode: YABU, purpose: 'login' });
    expect(limited.statusCode).toBe(429);
    expect(limited.json<{ code: string }>().code).toBe('rate-limited');
    expect((await new Browser(t, ip()).post('/api/resident/challenges', { municipalityCode: YABU, purpose: 'login' })).statusCode).toBe(201);
  });

  it('staff routes are not reachable with a resident session, and resident routes not with a staff session', async () => {
    expect((await browser.login(await browser.cardTouch())).statusCode).toBe(200);
    expect((await browser.get(`/api/municipalities/${YABU}/residents`)).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/resident/session', headers: admin.headers })).statusCode).toBe(401);
  });

  it('kiosk touch-only: refused for a flow not enabled (touch-only-not-allowed), allowed with acr card-touch once the admin enables it', async () => {
    const kiosk = (flow: string, agent = shelter, key = virtualCertificate) => t.app.inject({
      method: 'POST', url: `/api/municipalities/${YABU}/resident-sessions/touch`, headers: agent.headers, payload: { flow, certificate: key() },
    });
    const refused = await kiosk('shelter-reentry');
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.json<{ code: string; messages: { ja: string; en: string } }>()).toMatchObject({ code: 'touch-only-not-allowed', messages: { ja: expect.stringContaining('shelter-reentry') } });

    const put = (flows: string[], agent = admin) => t.app.inject({ method: 'PUT', url: `/api/municipalities/${YABU}/touch-only-flows`, headers: agent.headers, payload: { flows } });
    expect((await put(['shelter-reentry'], shelter)).statusCode).toBe(403);
    expect((await put(['shelter-reentry'], asagoAdmin)).statusCode).toBe(403);
    expect((await put(['Bad Flow'])).statusCode).toBe(400);
    const ok = await put(['shelter-reentry', 'portal-view']);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ flows: ['portal-view', 'shelter-reentry'] });
    expect((await t.app.inject({ method: 'GET', url: `/api/municipalities/${YABU}/touch-only-flows`, headers: shelter.headers })).json()).toEqual({ flows: ['portal-view', 'shelter-reentry'] });

    const res = await kiosk('shelter-reentry');
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json<{ acr: string; residentId: string; authTime: string; expiresAt: string; csrfToken: string }>();
    expect(view).toMatchObject({ acr: CARD_TOUCH, residentId: hanako.residentId });
    expect(Date.parse(view.expiresAt) - Date.parse(view.authTime)).toBe(5 * 60_000);
    const token = (res.cookies as { name: string; value: string }[]).find((c) => c.name === 'kazashi_resident')!.value;
    const session = await t.app.inject({ method: 'GET', url: '/api/resident/session', headers: { cookie: `kazashi_resident=${token}` } });
    expect(session.json()).toMatchObject({ acr: CARD_TOUCH });
    expect((await audit('identity.identify')).at(-1)).toMatchObject({ actor: 'staff:yabu.shelter', purpose: expect.stringMatching(/touch-only shelter-reentry \| card .+ \| identified/) });
    // A touch-only session may look but not change what the resident shares.
    const consents = (await t.app.inject({ method: 'GET', url: '/api/resident/me/consents', headers: { cookie: `kazashi_resident=${token}` } })).json<{ id: string }[]>();
    const w = await t.app.inject({ method: 'POST', url: `/api/resident/me/consents/${consents[0]!.id}/withdraw`, headers: { cookie: `kazashi_resident=${token}`, 'x-csrf-token': view.csrfToken }, payload: {} });
    expect(w.statusCode).toBe(403);
    expect(w.json<{ code: string }>().code).toBe('card-pin-required');
    // Staff of another municipality, a revoked or unregistered card: refused.
    expect((await t.app.inject({ method: 'POST', url: `/api/municipalities/${YABU}/resident-sessions/touch`, headers: asagoAdmin.headers, payload: { flow: 'shelter-reentry', certificate: virtualCertificate() } })).statusCode).toBe(403);
    const unknown = await kiosk('shelter-reentry', shelter, () => b64(keys[1]!.certificate));
    expect(unknown.json<{ code: string }>().code).toBe('card-not-registered');
    const junk = await kiosk('shelter-reentry', shelter, () => b64(Buffer.from('not a certificate at all')));
    expect(junk.json<{ code: string }>().code).toBe('certificate-malformed');
  });

  it('/me shows profile, joined services and cards; the profile read appears in the access log (resident:self, my page)', async () => {
    expect((await browser.login(await browser.cardTouch())).statusCode).toBe(200);
    const me = await browser.get('/api/resident/me');
    expect(me.statusCode, me.body).toBe(200);
    const body = me.json();
    expect(body.profile).toEqual({ name: HOLDER.name, address: HOLDER.address, birthDate: HOLDER.birthDate, sex: HOLDER.sex });
    expect(body.session).toMatchObject({ residentId: hanako.residentId, acr: CARD_PIN });
    expect(body.session.csrfToken).toBeUndefined();
    expect(body.services.length).toBeGreaterThan(0);
    expect(body.services[0]).toMatchObject({ joined: true });
    expect(body.cards).toEqual([{ status: 'active', boundAt: expect.any(String), suspendedAt: null }]);
    // Entries are sealed (given their sequence numbers) moments after commit; under load the sealer
    // waits 20 ms to take many at once. The order asserted below is that of sealed entries.
    await t.platform.audit.sealer.flush();
    const log = await browser.get('/api/resident/me/access-log?limit=5');
    expect(log.statusCode, log.body).toBe(200);
    const entries = log.json<{ seq: number; action: string; actorKind: string; actor: string; purpose: string; categories: string[]; fields: string[] }[]>();
    expect(entries.length).toBeLessThanOrEqual(5);
    expect(entries[0]).toMatchObject({ action: 'vault.read', actorKind: 'resident', actor: 'self', purpose: 'my page', categories: ['basic'] });
    expect(entries[0]!.fields).toContain('nameKanji');
    expect(entries.map((e) => e.seq)).toEqual([...entries.map((e) => e.seq)].sort((a, b) => b - a));
    // The staff registration is in it too, with the staff login as actor.
    const all = (await browser.get('/api/resident/me/access-log?limit=200')).json<{ action: string; actorKind: string; actor: string }[]>();
    expect(all).toContainEqual(expect.objectContaining({ action: 'registration.register', actorKind: 'staff', actor: 'yabu.admin' }));
    expect((await browser.get('/api/resident/me/access-log?limit=201')).statusCode).toBe(400);
  });

  it('withdraws a consent with immediate effect (CSRF required); it appears in the access log; gives one to a joint-use partner only', async () => {
    expect((await browser.login(await browser.cardTouch())).statusCode).toBe(200);
    const list = (await browser.get('/api/resident/me/consents')).json<{ id: string; purpose: string; status: string; subject: string }[]>();
    const voting = list.find((c) => c.purpose === 'online voting' && c.status === 'active')!;
    expect(voting.subject).toBe(hanako.residentId);
    const noCsrf = await browser.post(`/api/resident/me/consents/${voting.id}/withdraw`, {}, { csrf: false });
    expect(noCsrf.json<{ code: string }>().code).toBe('csrf-failed');
    const w = await browser.post(`/api/resident/me/consents/${voting.id}/withdraw`);
    expect(w.statusCode, w.body).toBe(200);
    expect(w.json()).toMatchObject({ id: voting.id, status: 'withdrawn', withdrawnAt: expect.any(String) });
    // Immediately visible to staff too.
    const staffView = await t.app.inject({ method: 'GET', url: `/api/municipalities/${YABU}/residents/${hanako.residentId}/consents`, headers: admin.headers });
    expect(staffView.json<{ id: string; status: string }[]>().find((c) => c.id === voting.id)!.status).toBe('withdrawn');
    const log = (await browser.get('/api/resident/me/access-log')).json<{ action: string; actor: string; purpose: string }[]>();
    expect(log[0]).toMatchObject({ action: 'registration.consent.withdraw', actor: 'self', purpose: expect.stringContaining(voting.id) });

    const given = await browser.post('/api/resident/me/consents', { purpose: 'events', services: ['events'], categories: ['contact'], recipients: [ASAGO], termsVersion: '2026-11' });
    expect(given.statusCode, given.body).toBe(201);
    expect(given.json()).toMatchObject({ status: 'active', recipients: [ASAGO], controller: YABU, subject: hanako.residentId });
    const outside = await browser.post('/api/resident/me/consents', { purpose: 'events', recipients: ['131016'], termsVersion: '2026-11' });
    expect(outside.statusCode).toBe(422);
    expect(outside.json<{ code: string; messages: { ja: string } }>()).toMatchObject({ code: 'consent-recipient-not-partner', messages: { ja: expect.stringContaining('131016') } });

    const exp = await browser.get('/api/resident/me/consents/export');
    expect(exp.statusCode, exp.body).toBe(200);
    expect(exp.json()).toMatchObject({ schema: 'ISO/IEC TS 27560', subject: hanako.residentId, controller: YABU });
    expect((await audit('registration.consent.export')).at(-1)).toMatchObject({ actor: 'resident:self', resident_id: hanako.residentId });
  });

  it('issues a QR token that validates once at the shelter; the replay is refused', async () => {
    expect((await browser.login(await browser.cardTouch())).statusCode).toBe(200);
    const res = await browser.post('/api/resident/me/qr-token');
    expect(res.statusCode, res.body).toBe(200);
    const { token, refreshInSeconds } = res.json<{ token: string; refreshInSeconds: number }>();
    expect(refreshInSeconds).toBeGreaterThan(0);
    const validate = () => staffPost(`/api/municipalities/${YABU}/qr/validate`, { token }, shelter);
    const ok = await validate();
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ residentId: hanako.residentId, residentNumber: hanako.residentNumber, kind: 'rotating' });
    const replay = await validate();
    expect(replay.statusCode).toBe(409);
    expect(replay.json<{ code: string }>().code).toBe('qr-token-replayed');
    expect((await browser.post('/api/resident/me/qr-token', {}, { csrf: false })).statusCode).toBe(403);
  });

  it('keeps tenants apart: a Yabu resident session reaches no Asago data', async () => {
    // An Asago resident with a consent.
    const reg = await staffPost(`/api/municipalities/${ASAGO}/registrations`, {
      ...(await staffTouch(keys[2]!, 'registration', asagoAdmin, ASAGO)),
      basicFour: { name: '朝来 次郎', address: '兵庫県朝来市', birthDate: '1970-01-01', sex: 'male' },
      consents: [{ purpose: 'asago shelter', services: ['shelter'], termsVersion: '2026-04' }],
    }, asagoAdmin);
    expect(reg.statusCode, reg.body).toBe(201);
    const asagoResident = reg.json<{ residentId: string }>().residentId;
    const asagoConsent = (await t.app.inject({ method: 'GET', url: `/api/municipalities/${ASAGO}/residents/${asagoResident}/consents`, headers: asagoAdmin.headers })).json<{ id: string }[]>()[0]!.id;

    expect((await browser.login(await browser.cardTouch())).statusCode).toBe(200);
    const before = (await audit('vault.read', ASAGO)).length;
    const w = await browser.post(`/api/resident/me/consents/${asagoConsent}/withdraw`);
    expect(w.statusCode).toBe(404);
    expect(w.json<{ code: string }>().code).toBe('consent-not-found');
    expect((await browser.get('/api/resident/me/consents')).json<{ controller: string }[]>().every((c) => c.controller === YABU)).toBe(true);
    expect((await browser.get('/api/resident/me/access-log?limit=200')).json<{ purpose: string }[]>().some((e) => e.purpose.includes(asagoConsent))).toBe(false);
    expect((await browser.get('/api/resident/me')).json<{ profile: { name: string } }>().profile.name).toBe(HOLDER.name);
    // Staff routes of either municipality do not take a resident session.
    for (const url of [`/api/municipalities/${ASAGO}/residents/${asagoResident}/consents`, `/api/municipalities/${ASAGO}/residents/${asagoResident}/personal/basic?purpose=lookup`]) {
      expect((await browser.get(url)).statusCode).toBe(401);
    }
    // A Yabu resident cannot log in at Asago with a Yabu card.
    const elsewhere = await browser.login(await browser.cardTouch(ASAGO));
    expect(elsewhere.json<{ code: string }>().code).toBe('card-not-registered');
    expect((await audit('vault.read', ASAGO)).length).toBe(before);
    // Row-level security: the app role acting for Asago sees no Yabu resident sessions.
    const seen = await t.platform.db.tenant({ municipalityCode: ASAGO }, async (tx) =>
      ((await tx.execute(sql`select count(*)::int as n from resident_session where municipality_code = ${YABU}`)) as unknown as { rows: { n: number }[] }).rows[0]!.n);
    expect(seen).toBe(0);
  });

  it('the resident suspends their lost card: every session of theirs ends, and the card can no longer log in', async () => {
    const reg = await staffPost(`/api/municipalities/${YABU}/registrations`, { ...(await staffTouch(keys[3]!, 'registration')), consents: [] });
    expect(reg.statusCode, reg.body).toBe(201);
    const other = new Browser(t, ip());
    expect((await other.login(await other.keyTouch(keys[3]!))).statusCode).toBe(200);
    expect((await browser.login(await browser.keyTouch(keys[3]!))).statusCode).toBe(200);
    const res = await browser.post('/api/resident/me/card/suspend', { reason: 'lost my card' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'suspended', residentId: reg.json<{ residentId: string }>().residentId });
    expect((await browser.get('/api/resident/session')).statusCode).toBe(401);
    expect((await other.get('/api/resident/session')).statusCode).toBe(401);
    expect((await browser.login(await browser.keyTouch(keys[3]!))).json<{ code: string }>().code).toBe('card-suspended');
    expect((await audit('identity.card.suspend')).at(-1)).toMatchObject({ actor: 'resident:self' });
  });
});

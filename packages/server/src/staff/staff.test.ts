import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, loginAs, nextStep, startTestPlatform, type TestPlatform } from '../test/harness.js';
import { totpCode } from './totp.js';

describeEachEngine('staff login', (engine) => {
  let t: TestPlatform;
  beforeAll(async () => { t = await startTestPlatform(engine, { KAZASHI_LOGIN_MAX_ATTEMPTS: '3', KAZASHI_LOGIN_RATE_LIMIT: '1000' }); });
  afterAll(async () => t?.close());

  const secret = (login: string) => t.demo.logins.find((l) => l.loginName === login)!.totpSecret;
  const login = (body: object) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: body });

  it('password + TOTP gives an httpOnly, SameSite=Strict session cookie and a CSRF token', async () => {
    const res = await login({ loginName: 'yabu.hq', password: t.demo.password, totp: totpCode(secret('yabu.hq')) });
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/kazashi_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(res.json().csrfToken).toMatch(/^[\w-]{20,}$/);
    expect(res.json().staff).toMatchObject({ loginName: 'yabu.hq', municipalityCode: '282227', roles: ['disaster_hq'] });
    // the session works
    const session = await t.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: cookie.split(';')[0]! } });
    expect(session.statusCode).toBe(200);
  });

  it('a TOTP code is accepted only once', async () => {
    const code = totpCode(secret('asago.hq'));
    expect((await login({ loginName: 'asago.hq', password: t.demo.password, totp: code })).statusCode).toBe(200);
    const replay = await login({ loginName: 'asago.hq', password: t.demo.password, totp: code });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('invalid-totp');
  });

  it('locks the account after repeated failures, with a clear message, until an admin unlocks it', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await login({ loginName: 'asago.election', password: 'wrong-password!', totp: '000000' });
      expect(r.json().code).toBe('invalid-credentials');
    }
    const locked = await login({ loginName: 'asago.election', password: 'wrong-password!', totp: '000000' });
    expect(locked.statusCode).toBe(423);
    expect(locked.json().messages.ja).toContain('ロック');
    // even the right password is refused while locked
    const right = await login({ loginName: 'asago.election', password: t.demo.password, totp: totpCode(secret('asago.election')) });
    expect(right.statusCode).toBe(423);
    const admin = await loginAs(t, 'asago.admin');
    const staff = (await t.app.inject({ method: 'GET', url: '/api/municipalities/282251/staff', headers: admin.headers })).json<{ id: string; loginName: string; lockedUntil: string | null }[]>();
    const target = staff.find((s) => s.loginName === 'asago.election')!;
    expect(target.lockedUntil).not.toBeNull();
    const unlocked = await t.app.inject({ method: 'POST', url: `/api/municipalities/282251/staff/${target.id}/unlock`, headers: admin.headers });
    expect(unlocked.json().lockedUntil).toBeNull();
    expect((await login({ loginName: 'asago.election', password: t.demo.password, totp: totpCode(secret('asago.election'), nextStep(1)) })).statusCode).toBe(200);
  });

  it('an expired session is refused and the cookie cleared', async () => {
    const agent = await loginAs(t, 'yabu.election');
    await t.platform.db.owner.execute(sql`update staff_session set expires_at = now() - interval '1 minute'`);
    const res = await t.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: agent.cookie } });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('session-expired');
    expect(String(res.headers['set-cookie'])).toMatch(/kazashi_session=;/);
  });

  it('logout ends the session; it needs the CSRF token', async () => {
    const agent = await loginAs(t, 'yabu.shelter');
    const noCsrf = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: agent.cookie } });
    expect(noCsrf.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: agent.headers })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: agent.cookie } })).statusCode).toBe(401);
  });

  it('a disabled account cannot log in and its sessions end', async () => {
    const admin = await loginAs(t, 'yabu.admin');
    const agent = await loginAs(t, 'yabu.platform');
    const id = (await t.app.inject({ method: 'GET', url: '/api/session', headers: agent.headers })).json().staff.id;
    // a municipal admin can edit accounts of its municipality, including disabling them
    const res = await t.app.inject({ method: 'PATCH', url: `/api/municipalities/282227/staff/${id}`, headers: admin.headers, payload: { disabled: true } });
    expect(res.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/session', headers: agent.headers })).statusCode).toBe(401);
    const again = await login({ loginName: 'yabu.platform', password: t.demo.password, totp: totpCode(secret('yabu.platform'), nextStep(1)) });
    expect(again.statusCode).toBe(401);
  });

  it('a new account gets a TOTP secret once and can log in with it', async () => {
    const admin = await loginAs(t, 'asago.admin', nextStep(1));
    const created = await t.app.inject({
      method: 'POST', url: '/api/municipalities/282251/staff', headers: admin.headers,
      payload: { loginName: 'asago.shelter2', displayName: '朝来市 避難所職員2', roles: ['shelter_staff'], password: 'a-long-initial-password' },
    });
    expect(created.statusCode).toBe(201);
    const { totpSecret, totpUri } = created.json();
    expect(totpUri).toMatch(/^otpauth:\/\/totp\/Kazashi:asago.shelter2\?/);
    const res = await login({ loginName: 'asago.shelter2', password: 'a-long-initial-password', totp: totpCode(totpSecret) });
    expect(res.statusCode).toBe(200);
    // the secret is not stored in clear
    const stored = ((await t.platform.db.owner.execute(sql`select totp_secret_enc from staff_account where login_name = 'asago.shelter2'`)) as unknown as { rows: { totp_secret_enc: string }[] }).rows[0]!;
    expect(stored.totp_secret_enc).not.toContain(totpSecret);
  });
  // Last in the file: its logins use the next TOTP step, which earlier tests' current-step codes may not follow.
  it('the session says what the staff member may do and which menu entries that opens (no role names to interpret)', async () => {
    const look = async (login: string) => (await t.app.inject({ method: 'GET', url: '/api/session', headers: (await loginAs(t, login, nextStep(1))).headers })).json() as {
      permissions: string[]; navigation: { path: string; area: string }[];
    };
    const shelter = await look('yabu.shelter');
    expect(shelter.permissions).toContain('shelter:operate');
    expect(shelter.permissions).not.toContain('staff:manage');
    expect(shelter.navigation.map((n) => n.path)).toContain('/shelter');
    expect(shelter.navigation.map((n) => n.path)).not.toContain('/admin/staff');
    const admin = await look('yabu.admin');
    expect(admin.permissions).toEqual(expect.arrayContaining(['staff:manage', 'audit:read', 'card:manage']));
    expect(admin.permissions).not.toContain('municipality:create');
    expect(admin.navigation.map((n) => n.path)).toEqual(expect.arrayContaining(['/admin/staff', '/admin/audit', '/counter']));
    // The admin area first, then operations.
    const areas = admin.navigation.map((n) => n.area);
    expect(areas.lastIndexOf('admin')).toBeLessThan(areas.indexOf('operations'));
  });
});

describeEachEngine('login rate limit', (engine) => {
  let t: TestPlatform;
  beforeAll(async () => { t = await startTestPlatform(engine, { KAZASHI_LOGIN_RATE_LIMIT: '5' }); });
  afterAll(async () => t?.close());

  it('answers 429 rate-limited after too many attempts from one address', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { loginName: `ghost${i}`, password: 'x' } });
      codes.push(r.statusCode);
      if (r.statusCode === 429) expect(r.json().code).toBe('rate-limited');
    }
    expect(codes.slice(0, 5).every((c) => c === 401)).toBe(true);
    expect(codes.slice(5)).toEqual([429, 429]);
  });
});

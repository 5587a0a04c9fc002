// Bad input of every kind gets a clear 4xx problem+json (stable code, Japanese and English text)
// and changes nothing. None may produce a 500.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { allProblemCodes, problemSpec } from '../kernel/errors.js';
import { totpCode } from '../staff/index.js';
import { describeEachEngine, loginAs, startTestPlatform, type StaffAgent, type TestPlatform } from '../test/harness.js';

interface Case {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string | (() => string);
  as?: 'platform' | 'admin' | 'none';
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  status: number;
  code: string;
  path?: string;
}

describeEachEngine('bad requests', (engine) => {
  let t: TestPlatform;
  let platform: StaffAgent;
  let admin: StaffAgent;
  let groupId: string;
  let residentId: string;

  const fingerprint = async () => {
    const q = sql`select md5(string_agg(x, '|' order by x)) as f from (
      select 'm:' || code || name_ja || name_en || vault_location || vault_migrating::text as x from municipality
      union all select 'g:' || id::text || name_ja from joint_use_group
      union all select 'j:' || group_id::text || municipality_code || array_to_string(services, ',') from joint_use_membership
      union all select 's:' || id::text || login_name || display_name || array_to_string(roles, ',') || disabled::text from staff_account
      union all select 'r:' || id::text || array_to_string(categories, ',') from resident
      union all select 'a:' || municipality_code || ':' || count(*)::text from audit_trail where action <> 'staff.login' group by municipality_code
    ) t`;
    return ((await t.platform.db.owner.execute(q)) as unknown as { rows: { f: string }[] }).rows[0]!.f;
  };

  beforeAll(async () => {
    t = await startTestPlatform(engine);
    platform = await loginAs(t, 'yabu.platform');
    admin = await loginAs(t, 'yabu.admin');
    const rows = (q: ReturnType<typeof sql>) => t.platform.db.owner.execute(q) as unknown as Promise<{ rows: { id: string }[] }>;
    groupId = (await rows(sql`select id from joint_use_group limit 1`)).rows[0]!.id;
    residentId = (await rows(sql`select id from resident where municipality_code = '282227' limit 1`)).rows[0]!.id;
  });
  afterAll(async () => t?.close());

  const big = 'x'.repeat(70 * 1024);
  const uuid0 = '00000000-0000-4000-8000-000000000000';
  const yabuLogin = () => t.demo.logins.find((l) => l.loginName === 'yabu.shelter')!;

  const cases: Case[] = [
    { name: 'malformed JSON', method: 'POST', url: '/api/auth/login', raw: '{"loginName": "a",', status: 400, code: 'malformed-json' },
    { name: 'empty JSON body', method: 'POST', url: '/api/auth/login', raw: '', status: 400, code: 'malformed-json' },
    { name: 'wrong type', method: 'POST', url: '/api/auth/login', body: { loginName: 123, password: 'x' }, status: 400, code: 'validation-failed', path: 'body/loginName' },
    { name: 'unknown field', method: 'POST', url: '/api/auth/login', body: { loginName: 'a', password: 'b', isAdmin: true }, status: 400, code: 'validation-failed', path: 'body/isAdmin' },
    { name: 'missing field', method: 'POST', url: '/api/auth/login', body: { loginName: 'a' }, status: 400, code: 'validation-failed', path: 'body/password' },
    { name: 'TOTP not six digits', method: 'POST', url: '/api/auth/login', body: { loginName: 'a', password: 'b', totp: '12ab' }, status: 400, code: 'validation-failed', path: 'body/totp' },
    { name: 'oversize body', method: 'POST', url: '/api/auth/login', body: { loginName: 'a', password: big }, status: 413, code: 'payload-too-large' },
    { name: 'not JSON', method: 'POST', url: '/api/auth/login', raw: 'loginName=a', headers: { 'content-type': 'text/plain' }, status: 415, code: 'unsupported-media-type' },
    { name: 'unknown login', method: 'POST', url: '/api/auth/login', body: { loginName: 'nobody', password: 'whatever-password', totp: '123456' }, status: 401, code: 'invalid-credentials' },
    { name: 'wrong password', method: 'POST', url: '/api/auth/login', body: { loginName: 'yabu.hq', password: 'wrong-password-1', totp: '123456' }, status: 401, code: 'invalid-credentials' },
    { name: 'TOTP missing', method: 'POST', url: '/api/auth/login', body: () => ({ loginName: 'yabu.shelter', password: t.demo.password }), status: 401, code: 'totp-required' } as unknown as Case,
    { name: 'TOTP wrong', method: 'POST', url: '/api/auth/login', body: () => ({ loginName: 'yabu.shelter', password: t.demo.password, totp: totpCode(yabuLogin().totpSecret, Date.now() - 10 * 60_000) }), status: 401, code: 'invalid-totp' } as unknown as Case,
    { name: 'no session', method: 'GET', url: '/api/session', as: 'none', status: 401, code: 'unauthenticated' },
    { name: 'forged session cookie', method: 'GET', url: '/api/session', as: 'none', headers: { cookie: 'kazashi_session=forged' }, status: 401, code: 'session-expired' },
    { name: 'missing CSRF token', method: 'PATCH', url: '/api/municipalities/282227', as: 'admin', headers: { 'x-csrf-token': '' }, body: { nameEn: 'Hijacked' }, status: 403, code: 'csrf-failed' },
    { name: 'wrong CSRF token', method: 'PATCH', url: '/api/municipalities/282227', as: 'admin', headers: { 'x-csrf-token': 'nope' }, body: { nameEn: 'Hijacked' }, status: 403, code: 'csrf-failed' },
    { name: 'municipality code too short', method: 'GET', url: '/api/municipalities/28222/staff', as: 'platform', status: 400, code: 'validation-failed', path: 'params/code' },
    { name: 'municipality code with bad check digit', method: 'GET', url: '/api/municipalities/282228/staff', as: 'platform', status: 400, code: 'invalid-municipality-code' },
    { name: 'register code with bad check digit', method: 'POST', url: '/api/municipalities', as: 'platform', body: { code: '282220', nameJa: 'x', nameEn: 'x', prefectureJa: 'x', prefectureEn: 'x' }, status: 400, code: 'invalid-municipality-code' },
    { name: 'register existing municipality', method: 'POST', url: '/api/municipalities', as: 'platform', body: { code: '282227', nameJa: 'x', nameEn: 'x', prefectureJa: 'x', prefectureEn: 'x' }, status: 409, code: 'municipality-exists' },
    { name: 'register municipality as municipal admin', method: 'POST', url: '/api/municipalities', as: 'admin', body: { code: '131016', nameJa: '千代田区', nameEn: 'Chiyoda', prefectureJa: '東京都', prefectureEn: 'Tokyo' }, status: 403, code: 'forbidden' },
    { name: 'edit unregistered municipality', method: 'PATCH', url: '/api/municipalities/131016', as: 'platform', body: { nameEn: 'x' }, status: 404, code: 'municipality-not-found' },
    { name: 'empty patch', method: 'PATCH', url: '/api/municipalities/282227', as: 'admin', body: {}, status: 400, code: 'validation-failed' },
    { name: 'staff id not a uuid', method: 'PATCH', url: '/api/municipalities/282227/staff/42', as: 'admin', body: { disabled: true }, status: 400, code: 'validation-failed', path: 'params/id' },
    { name: 'unknown staff id', method: 'PATCH', url: `/api/municipalities/282227/staff/${uuid0}`, as: 'admin', body: { disabled: true }, status: 404, code: 'staff-not-found' },
    { name: 'weak staff password', method: 'POST', url: '/api/municipalities/282227/staff', as: 'admin', body: { loginName: 'yabu.new', displayName: 'x', roles: ['shelter_staff'], password: 'short' }, status: 400, code: 'weak-password' },
    { name: 'login name taken', method: 'POST', url: '/api/municipalities/282227/staff', as: 'admin', body: { loginName: 'asago.admin', displayName: 'x', roles: ['shelter_staff'], password: 'long-enough-password' }, status: 409, code: 'login-name-taken' },
    { name: 'unknown role', method: 'POST', url: '/api/municipalities/282227/staff', as: 'admin', body: { loginName: 'yabu.new', displayName: 'x', roles: ['king'], password: 'long-enough-password' }, status: 400, code: 'validation-failed', path: 'body/roles/0' },
    { name: 'municipal admin granting platform admin', method: 'POST', url: '/api/municipalities/282227/staff', as: 'admin', body: { loginName: 'yabu.new', displayName: 'x', roles: ['platform_admin'], password: 'long-enough-password' }, status: 403, code: 'role-not-allowed' },
    { name: 'unknown service', method: 'PUT', url: () => `/api/joint-use-groups/${groupId}/members/282227/services`, as: 'admin', body: { services: ['casino'] }, status: 400, code: 'validation-failed', path: 'body/services/0' },
    { name: 'unknown joint-use group', method: 'PUT', url: `/api/joint-use-groups/${uuid0}/members/282227/services`, as: 'admin', body: { services: ['shelter'] }, status: 404, code: 'joint-use-group-not-found' },
    { name: 'member added twice', method: 'POST', url: () => `/api/joint-use-groups/${groupId}/members`, as: 'platform', body: { municipalityCode: '282251', services: [] }, status: 409, code: 'already-a-member' },
    { name: 'audit limit zero', method: 'GET', url: '/api/municipalities/282227/audit?limit=0', as: 'admin', status: 400, code: 'validation-failed', path: 'querystring/limit' },
    { name: 'audit limit not a number', method: 'GET', url: '/api/municipalities/282227/audit?limit=many', as: 'admin', status: 400, code: 'validation-failed' },
    { name: 'audit date not a date', method: 'GET', url: '/api/municipalities/282227/audit?from=yesterday', as: 'admin', status: 400, code: 'validation-failed', path: 'querystring/from' },
    { name: 'personal data without purpose', method: 'GET', url: () => `/api/municipalities/282227/residents/${residentId}/personal/basic`, as: 'admin', status: 400, code: 'validation-failed', path: 'querystring/purpose' },
    { name: 'unknown data category', method: 'GET', url: () => `/api/municipalities/282227/residents/${residentId}/personal/secrets?purpose=check`, as: 'admin', status: 400, code: 'validation-failed', path: 'params/category' },
    { name: 'unknown resident', method: 'GET', url: `/api/municipalities/282227/residents/${uuid0}/personal/basic?purpose=check`, as: 'admin', status: 404, code: 'resident-not-found' },
    { name: 'unknown personal field', method: 'PUT', url: () => `/api/municipalities/282227/residents/${residentId}/personal/contact`, as: 'admin', body: { purpose: 'update', data: { shoeSize: '27' } }, status: 400, code: 'unknown-personal-field' },
    { name: 'unknown field in registration', method: 'POST', url: '/api/municipalities/282227/residents', as: 'admin', body: { purpose: 'register', personal: { basic: { nameKanji: 'x', favouriteColour: 'red' } } }, status: 400, code: 'validation-failed', path: 'body/personal/basic/favouriteColour' },
    { name: 'platform admin reading personal data', method: 'GET', url: () => `/api/municipalities/282227/residents/${residentId}/personal/basic?purpose=curiosity`, as: 'platform', status: 403, code: 'forbidden' },
    { name: 'vault migrate to postgres without url', method: 'POST', url: '/api/municipalities/282227/vault/migrate', as: 'platform', body: { to: 'postgres' }, status: 400, code: 'vault-location-config' },
    { name: 'vault migrate to where it is', method: 'POST', url: '/api/municipalities/282227/vault/migrate', as: 'platform', body: { to: 'embedded' }, status: 409, code: 'vault-same-location' },
    { name: 'vault migrate to an unknown location', method: 'POST', url: '/api/municipalities/282227/vault/migrate', as: 'platform', body: { to: 'usb-stick' }, status: 400, code: 'validation-failed', path: 'body/to' },
    { name: 'service not joined', method: 'GET', url: '/api/municipalities/282251/services/points', status: 403, code: 'service-not-joined' },
    { name: 'unknown service id', method: 'GET', url: '/api/municipalities/282227/services/casino', status: 400, code: 'validation-failed' },
    { name: 'resident challenge for another purpose', method: 'POST', url: '/api/resident/challenges', body: { municipalityCode: '282227', purpose: 'registration' }, status: 400, code: 'validation-failed', path: 'body/purpose' },
    { name: 'resident challenge with bad check digit', method: 'POST', url: '/api/resident/challenges', body: { municipalityCode: '282228', purpose: 'login' }, status: 400, code: 'invalid-municipality-code' },
    { name: 'resident challenge at unregistered municipality', method: 'POST', url: '/api/resident/challenges', body: { municipalityCode: '131016', purpose: 'login' }, status: 404, code: 'municipality-not-found' },
    { name: 'resident login with challenge id not a uuid', method: 'POST', url: '/api/resident/login', body: { municipalityCode: '282227', challengeId: '42', purpose: 'login', certificate: 'AAAA', signature: 'AAAA' }, status: 400, code: 'validation-failed', path: 'body/challengeId' },
    { name: 'resident login missing signature', method: 'POST', url: '/api/resident/login', body: { municipalityCode: '282227', challengeId: uuid0, purpose: 'login', certificate: 'AAAA' }, status: 400, code: 'validation-failed', path: 'body/signature' },
    { name: 'no resident session', method: 'GET', url: '/api/resident/session', as: 'none', status: 401, code: 'unauthenticated' },
    { name: 'forged resident session cookie', method: 'GET', url: '/api/resident/me', as: 'none', headers: { cookie: 'kazashi_resident=forged' }, status: 401, code: 'session-expired' },
    { name: 'staff session on My page', method: 'GET', url: '/api/resident/me/consents', as: 'admin', status: 401, code: 'unauthenticated' },
    { name: 'resident logout without session', method: 'POST', url: '/api/resident/logout', as: 'none', body: {}, status: 401, code: 'unauthenticated' },
    { name: 'access log limit too large', method: 'GET', url: '/api/resident/me/access-log?limit=500', as: 'none', status: 400, code: 'validation-failed', path: 'querystring/limit' },
    { name: 'withdraw consent id not a uuid', method: 'POST', url: '/api/resident/me/consents/42/withdraw', as: 'none', body: {}, status: 400, code: 'validation-failed', path: 'params/consentId' },
    { name: 'touch-only flow id with spaces', method: 'PUT', url: '/api/municipalities/282227/touch-only-flows', as: 'admin', body: { flows: ['Shelter Reentry'] }, status: 400, code: 'validation-failed', path: 'body/flows/0' },
    { name: 'too many touch-only flows', method: 'PUT', url: '/api/municipalities/282227/touch-only-flows', as: 'admin', body: { flows: Array.from({ length: 21 }, (_, i) => `flow-${i}`) }, status: 400, code: 'validation-failed', path: 'body/flows' },
    { name: 'kiosk touch-only on a flow not enabled', method: 'POST', url: '/api/municipalities/282227/resident-sessions/touch', as: 'admin', body: { flow: 'voting-booth', certificate: 'AAAA' }, status: 403, code: 'touch-only-not-allowed' },
    { name: 'kiosk touch-only without flow', method: 'POST', url: '/api/municipalities/282227/resident-sessions/touch', as: 'admin', body: { certificate: 'AAAA' }, status: 400, code: 'validation-failed', path: 'body/flow' },
    // Control characters (every route and field: controlCharacters.test.ts).
    { name: 'NUL in a body field', method: 'PATCH', url: '/api/municipalities/282227', as: 'admin', body: { nameEn: 'Yabu\u0000' }, status: 400, code: 'validation-failed', path: 'body/nameEn' },
    { name: 'escape character in a staff name', method: 'POST', url: '/api/municipalities/282227/staff', as: 'admin', body: { loginName: 'yabu.new', displayName: '\u001b[31mred', roles: ['shelter_staff'], password: 'long-enough-password' }, status: 400, code: 'validation-failed', path: 'body/displayName' },
    { name: 'NUL in a query string', method: 'GET', url: '/api/municipalities/282227/audit?actor=a%00b', as: 'admin', status: 400, code: 'validation-failed', path: 'querystring/actor' },
    { name: 'NUL in a path parameter', method: 'GET', url: '/api/municipalities/28222%00/staff', as: 'platform', status: 400, code: 'validation-failed', path: 'params/code' },
    { name: 'unknown API path', method: 'GET', url: '/api/nothing-here', status: 404, code: 'not-found' },
    { name: 'unsupported method', method: 'DELETE', url: '/api/municipalities', as: 'platform', status: 404, code: 'not-found' },
  ];

  it('has at least 30 cases', () => expect(cases.length).toBeGreaterThanOrEqual(30));

  it.each(cases)('$name → $status $code', async (c) => {
    const before = await fingerprint();
    const agent = c.as === 'platform' ? platform : c.as === 'admin' ? admin : undefined;
    const body = typeof c.body === 'function' ? (c.body as () => unknown)() : c.body;
    const res = await t.app.inject({
      method: c.method,
      url: typeof c.url === 'function' ? c.url() : c.url,
      headers: { ...(agent?.headers ?? {}), ...(c.raw !== undefined ? { 'content-type': 'application/json' } : {}), ...(c.headers ?? {}) },
      ...(c.raw !== undefined ? { payload: c.raw } : body !== undefined ? { payload: body as object } : {}),
    });
    expect(res.statusCode, res.body).toBe(c.status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const p = res.json<{ type: string; code: string; status: number; messages: { ja: string; en: string }; errors?: { path: string }[] }>();
    expect(p.code).toBe(c.code);
    expect(p.type).toBe(`https://kazashi.jp/problems/${c.code}`);
    expect(p.status).toBe(c.status);
    expect(p.messages.ja).toMatch(/[ぁ-んァ-ン一-龯]/);
    expect(p.messages.en.length).toBeGreaterThan(5);
    if (c.path) expect(p.errors?.map((e) => e.path)).toContain(c.path);
    expect(await fingerprint()).toBe(before);
  });
});

it('every declared problem has a 4xx/5xx status and both languages', () => {
  const codes = allProblemCodes();
  expect(codes.length).toBeGreaterThan(30);
  for (const code of codes) {
    const spec = problemSpec(code)!;
    expect(spec.status, code).toBeGreaterThanOrEqual(400);
    expect(spec.ja, code).toMatch(/[ぁ-んァ-ン一-龯]/);
    expect(spec.en, code).toMatch(/[A-Za-z]/);
  }
});

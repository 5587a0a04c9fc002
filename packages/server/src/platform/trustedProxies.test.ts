// Per-address limits count the address the connection came from. X-Forwarded-For is believed only
// from a configured proxy (KAZASHI_TRUSTED_PROXIES): a client naming a new address in every request
// must not escape the login, resident-login or QR-validation limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrustedProxies } from '../config.js';
import { startTestPlatform, type TestPlatform } from '../test/harness.js';

const LIMIT = 5;
const limited = [
  { name: 'staff login', url: '/api/auth/login', body: { loginName: 'nobody' } },
  { name: 'resident login', url: '/api/resident/login', body: {} },
  { name: 'resident login challenge', url: '/api/resident/challenges', body: {} },
  { name: 'QR validation', url: '/api/municipalities/282227/qr/validate', body: { token: 'x' } },
];
const env = { KAZASHI_LOGIN_RATE_LIMIT: String(LIMIT), KAZASHI_QR_RATE_LIMIT: String(LIMIT) };

/** Statuses of `n` requests, the i-th from `remote` claiming X-Forwarded-For `xff(i)`. */
async function burst(t: TestPlatform, url: string, body: object, n: number, remote: string, xff: (i: number) => string | undefined) {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const forwarded = xff(i);
    const res = await t.app.inject({ method: 'POST', url, payload: body, remoteAddress: remote, headers: forwarded ? { 'x-forwarded-for': forwarded } : {} });
    out.push(res.statusCode);
  }
  return out;
}
const forged = (i: number) => `203.0.113.${i + 1}`;

describe('forwarded addresses without a trusted proxy', () => {
  let t: TestPlatform;
  beforeAll(async () => { t = await startTestPlatform('pglite', env); });
  afterAll(async () => t?.close());

  it.each(limited)('$name: a new X-Forwarded-For per request is still limited (429)', async ({ url, body }) => {
    const statuses = await burst(t, url, body, LIMIT + 3, '198.51.100.7', forged);
    expect(statuses.slice(0, LIMIT)).not.toContain(429);
    expect(statuses.slice(LIMIT)).toEqual([429, 429, 429]);
  });
});

describe('forwarded addresses from a configured proxy (KAZASHI_TRUSTED_PROXIES)', () => {
  let t: TestPlatform;
  beforeAll(async () => { t = await startTestPlatform('pglite', { ...env, KAZASHI_TRUSTED_PROXIES: '10.0.0.0/24' }); });
  afterAll(async () => t?.close());

  it.each(limited)('$name: each client behind the proxy has its own count', async ({ url, body }) => {
    const statuses = await burst(t, url, body, LIMIT + 3, '10.0.0.2', forged);
    expect(statuses).not.toContain(429);
  });

  it('one client behind the proxy is limited by its own address', async () => {
    const statuses = await burst(t, '/api/auth/login', {}, LIMIT + 1, '10.0.0.3', () => '192.0.2.50');
    expect(statuses.at(-1)).toBe(429);
  });

  it('the same header from outside the proxy range is not believed', async () => {
    const statuses = await burst(t, '/api/auth/login', {}, LIMIT + 1, '198.51.100.9', (i) => `192.0.2.${100 + i}`);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe('KAZASHI_TRUSTED_PROXIES', () => {
  it('takes addresses, CIDR ranges of both families and proxy-addr\'s range names', () => {
    expect(parseTrustedProxies(' 10.0.0.5, 10.0.0.0/24 ,fd00::/8,::1,loopback')).toEqual(['10.0.0.5', '10.0.0.0/24', 'fd00::/8', '::1', 'loopback']);
    expect(parseTrustedProxies(undefined)).toEqual([]);
    expect(parseTrustedProxies('')).toEqual([]);
  });
  it.each(['10.0.0.0/33', 'fd00::/129', 'proxy.example', '10.0.0.1/8/1', '10.0.0.0/x', '*'])('refuses %s', (v) => {
    expect(() => parseTrustedProxies(v)).toThrow(/KAZASHI_TRUSTED_PROXIES/);
  });
});

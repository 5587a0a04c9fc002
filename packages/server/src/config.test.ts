// Start-up settings are read strictly: a malformed or out-of-range value stops start-up with a
// message naming the variable (and every other bad one), instead of being read leniently.
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { ConfigError } from './kernel/env.js';

const problems = (env: Record<string, string>) => {
  try {
    loadConfig({ KAZASHI_DATA_DIR: '/tmp/kazashi-config-test', ...env });
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
};

describe('configuration', () => {
  it('defaults when nothing is set', () => {
    const c = loadConfig({ KAZASHI_DATA_DIR: '/tmp/x' });
    expect(c).toMatchObject({ port: 8080, sessionTtlMinutes: 30, loginRateLimitPerMinute: 20, workers: 1, cookieSecure: false, logLevel: 'info', trustedProxies: [] });
  });

  it.each([
    ['KAZASHI_LOGIN_RATE_LIMIT', '12abc'],
    ['KAZASHI_LOGIN_RATE_LIMIT', '-5'],
    ['KAZASHI_LOGIN_RATE_LIMIT', '0'],
    ['KAZASHI_SESSION_TTL_MINUTES', '1.5'],
    ['KAZASHI_SESSION_TTL_MINUTES', '99999999'],
    ['PORT', '70000'],
    ['PORT', 'http'],
    ['KAZASHI_BODY_LIMIT', '10'],
    ['KAZASHI_CHECKIN_BATCH_MAX', '0'],
    ['KAZASHI_SESSION_CACHE_MS', '-1'],
    ['KAZASHI_COOKIE_SECURE', 'yes'],
    ['KAZASHI_SEED_DEMO', 'maybe'],
    ['LOG_LEVEL', 'loud'],
    ['KAZASHI_PUBLIC_URL', 'kazashi.example.jp'],
    ['KAZASHI_PUBLIC_URL', 'ftp://kazashi.example.jp'],
    ['DATABASE_URL', 'mysql://x@localhost/db'],
    ['KAZASHI_JPKI_OCSP_URL', 'not a url'],
    ['KAZASHI_TRUSTED_PROXIES', '10.0.0.0/40'],
    ['KAZASHI_WORKERS', '0'],
  ])('%s=%s stops start-up, naming the variable', (name, value) => {
    const p = problems({ [name]: value });
    expect(p).toHaveLength(1);
    expect(p[0]).toContain(name);
  });

  it('names every bad variable at once', () => {
    const p = problems({ PORT: 'x', KAZASHI_LOGIN_RATE_LIMIT: '-1', LOG_LEVEL: 'loud' });
    expect(p.map((m) => m.split('=')[0])).toEqual(['PORT', 'KAZASHI_LOGIN_RATE_LIMIT', 'LOG_LEVEL']);
    expect(() => loadConfig({ PORT: 'x' })).toThrow(/PORT="x" is not valid: expected a whole number from 0 to 65535/);
  });

  it('several workers need PostgreSQL; with it they default to the number of cores', () => {
    expect(problems({ KAZASHI_WORKERS: '2' })[0]).toMatch(/KAZASHI_WORKERS=2 needs DATABASE_URL/);
    const c = loadConfig({ KAZASHI_DATA_DIR: '/tmp/x', DATABASE_URL: 'postgres://u@localhost/db' });
    expect(c.workers).toBeGreaterThanOrEqual(1);
    expect(loadConfig({ KAZASHI_DATA_DIR: '/tmp/x', DATABASE_URL: 'postgres://u@localhost/db', KAZASHI_WORKERS: '3' }).workers).toBe(3);
  });

  it('accepts what the README documents', () => {
    const c = loadConfig({
      KAZASHI_DATA_DIR: '/tmp/x', PORT: '3000', KAZASHI_COOKIE_SECURE: 'true', KAZASHI_SEED_DEMO: 'false', LOG_LEVEL: 'warn',
      KAZASHI_PUBLIC_URL: 'https://kazashi.example.jp/', KAZASHI_TRUSTED_PROXIES: '10.0.0.0/24,::1', KAZASHI_SESSION_CACHE_MS: '0',
    });
    expect(c).toMatchObject({ port: 3000, cookieSecure: true, seedDemo: false, logLevel: 'warn', publicUrl: 'https://kazashi.example.jp', trustedProxies: ['10.0.0.0/24', '::1'], sessionCacheMs: 0 });
  });

  it('never prints a database password in its message', () => {
    expect(problems({ DATABASE_URL: 'mysql://admin:s3cret@db/x' })[0]).not.toContain('s3cret');
  });
});

// Security headers as `curl -sI` sees them, on a server in production mode (its keys provided, as
// the README's production notes require): the web app's pages, the API, and the OpenID Connect
// provider's own responses (handed to oidc-provider raw) all carry CSP, HSTS, nosniff and frame
// protection. Outside production there is no HSTS (a plain-HTTP demo must stay reachable).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestCa } from '@kazashi/jpki/virtual';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { openDatabase } from '../kernel/db/engine.js';
import { generateJwks } from '../oidc/index.js';
import { createPlatform, type Platform } from './container.js';
import { writeTestTrust, type TestTrust } from '../test/cards.js';
import { startTestPlatform, type TestPlatform } from '../test/harness.js';
import { generateSigningKey } from '../vault/index.js';
import { buildApp } from './app.js';
import { CSP_REPORT_PATH } from '../kernel/http/security.js';

const PAGES = ['/', '/hq', '/shelter/kiosk'];
const OIDC = ['/oidc/.well-known/openid-configuration', '/oidc/jwks'];

function expectProtected(headers: Record<string, unknown>, where: string, opts: { hsts: boolean }) {
  const csp = String(headers['content-security-policy'] ?? '');
  expect(csp, `${where}: CSP`).toMatch(/default-src 'self'/);
  expect(csp, `${where}: scripts from self`).toMatch(/script-src 'self'/);
  expect(csp, `${where}: no inline script attributes`).toMatch(/script-src-attr 'none'/);
  expect(csp, `${where}: frame-ancestors`).toMatch(/frame-ancestors 'none'/);
  expect(csp, `${where}: nothing inline`).not.toMatch(/unsafe-inline|unsafe-eval/);
  expect(csp, `${where}: no plugins`).toMatch(/object-src 'none'/);
  expect(headers['x-content-type-options'], `${where}: nosniff`).toBe('nosniff');
  expect(headers['x-frame-options'], `${where}: frame protection`).toBe('DENY');
  expect(headers['referrer-policy'], `${where}: referrer`).toBe('same-origin');
  if (opts.hsts) expect(String(headers['strict-transport-security']), `${where}: HSTS`).toMatch(/max-age=31536000; includeSubDomains/);
  else expect(headers['strict-transport-security'], `${where}: no HSTS outside production`).toBeUndefined();
}

describe('security headers in production mode', () => {
  let dir: string;
  let trust: TestTrust;
  let platform: Platform;
  let app: FastifyInstance;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kazashi-headers-'));
    trust = await writeTestTrust(await TestCa.create(), 'headers');
    const file = (name: string, content: string) => { const f = path.join(dir, name); fs.writeFileSync(f, content, { mode: 0o600 }); return f; };
    const web = path.join(dir, 'web');
    fs.mkdirSync(web);
    fs.writeFileSync(path.join(web, 'index.html'), '<!doctype html><html lang="ja"><head><script type="module" src="/assets/app.js"></script></head><body><div id="root"></div></body></html>');
    const config = loadConfig({
      NODE_ENV: 'production', LOG_LEVEL: 'silent', KAZASHI_DATA_DIR: dir, KAZASHI_PUBLIC_URL: 'https://kazashi.example.jp',
      KAZASHI_SECRET_KEY_FILE: file('secret.key', Buffer.alloc(32, 7).toString('base64')),
      KAZASHI_VAULT_KEYS_FILE: file('vault-keys.json', '{}'),
      KAZASHI_VAULT_CLIENT_KEY_FILE: file('vault-client.pem', generateSigningKey().privatePem),
      KAZASHI_OIDC_JWKS_FILE: file('oidc-jwks.json', JSON.stringify(generateJwks())),
      ...trust.env,
    });
    platform = await createPlatform(config, { db: await openDatabase({}), inMemoryVaults: true });
    app = await buildApp(platform, { logger: false, webRoot: web });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await platform?.close();
    trust?.remove();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each(PAGES)('HEAD %s (as curl -sI sends it) is the web app with every protection', async (url) => {
    const res = await app.inject({ method: 'HEAD', url, headers: { accept: '*/*' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expectProtected(res.headers, url, { hsts: true });
    expect(String(res.headers['content-security-policy'])).toMatch(/upgrade-insecure-requests/);
  });

  it.each(OIDC)('the OpenID Connect provider\'s %s too', async (url) => {
    const res = await app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(200);
    expectProtected(res.headers, url, { hsts: true });
  });

  it('API answers and problems too', async () => {
    for (const url of ['/api/public/municipalities', '/api/nothing-here', '/readyz']) expectProtected((await app.inject({ method: 'GET', url })).headers, url, { hsts: true });
  });

  it('a missing file is a problem, not the page', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/missing.js', headers: { accept: '*/*' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('security headers outside production', () => {
  let t: TestPlatform;
  beforeAll(async () => { t = await startTestPlatform('pglite'); });
  afterAll(async () => t?.close());

  it('everything but HSTS and the upgrade of insecure requests', async () => {
    for (const url of ['/api/public/municipalities', ...OIDC]) {
      const res = await t.app.inject({ method: 'GET', url });
      expectProtected(res.headers, url, { hsts: false });
      expect(String(res.headers['content-security-policy'])).not.toMatch(/upgrade-insecure-requests/);
    }
  });

  it('the API docs alone allow the inline styles Swagger UI sets', async () => {
    const csp = String((await t.app.inject({ method: 'GET', url: '/docs/' })).headers['content-security-policy']);
    expect(csp).toMatch(/style-src 'self' 'unsafe-inline'/);
    expect(csp).toMatch(/script-src 'self'[^;]*;/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  it('the policy lets the kiosk reach its card agent on this PC, and reports what it blocks', async () => {
    const csp = String((await t.app.inject({ method: 'GET', url: '/healthz' })).headers['content-security-policy']);
    expect(csp).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\* ws:\/\/localhost:\*/);
    expect(csp).toContain(`report-uri ${CSP_REPORT_PATH}`);
    const report = await t.app.inject({
      method: 'POST', url: CSP_REPORT_PATH, headers: { 'content-type': 'application/csp-report' },
      payload: JSON.stringify({ 'csp-report': { 'document-uri': 'http://localhost/hq', 'effective-directive': 'style-src-attr', 'blocked-uri': 'inline' } }),
    });
    expect(report.statusCode).toBe(204);
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/kazashi_csp_violations_total\{directive="style-src-attr"\} 1/);
  });

  it('the staff session cookie expires with the server-side session (not hours later)', async () => {
    const login = t.demo.logins.find((l) => l.loginName === 'yabu.admin')!;
    const { totpCode } = await import('../staff/index.js');
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { loginName: login.loginName, password: t.demo.password, totp: totpCode(login.totpSecret) } });
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers['set-cookie']);
    const expires = new Date(/Expires=([^;]+)/i.exec(cookie)![1]!).getTime();
    const serverSide = new Date(res.json<{ expiresAt: string }>().expiresAt).getTime();
    expect(Math.abs(expires - serverSide)).toBeLessThan(2000);
    expect(expires - Date.now()).toBeLessThanOrEqual(t.config.sessionTtlMinutes * 60_000 + 2000);
  });
});

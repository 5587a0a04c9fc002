// Done-when (OpenID Connect): a municipal admin registers a joint-use service on the admin screen and
// sees its secret once; a resident with a My page session goes from the example relying party to
// Kazashi's interaction page, continues, withholds one item on the consent screen, and the service
// shows the pairwise sub, the acr and only the consented claims. Real pieces: Chromium → the built web
// app and server → examples/relying-party (openid-client). The resident's card login is made through
// the portal API with a key issued by the test CA the server trusts (the card-agent path of the same
// page is covered by the kiosk suite's CardTouch).
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestCa, type IssuedKey } from '@kazashi/jpki/virtual';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSeriousAxeViolations, launchChromium } from './support/browser';
import { freePort, repoRoot, startDemoServer, totpCode, type DemoServer } from './support/server';
import { staffLogin } from './support/staff';

const YABU = '282227';
const HOLDER = { name: '養父 連携花子', address: '兵庫県養父市八鹿町九鹿1', birthDate: '1990-09-09', sex: 'female' };
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let dataDir: string;
let server: DemoServer;
let rp: ChildProcess | undefined;
/** What the example relying party printed. */
let rpOut = '';
/** The server's and the relying party's output, for failure messages. */
const output = () => `${server?.output() ?? ''}${rpOut}`;
let base: string;
let password: string;
let secrets: Record<string, string>;
let browser: Browser;
let key: IssuedKey;

async function waitFor(url: string, what: string) {
  for (let i = 0; i < 240; i++) {
    if (await fetch(url).then((r) => r.status < 500, () => false)) return;
    await sleep(250);
  }
  throw new Error(`${what} did not answer ${url}:\n${output()}`);
}

beforeAll(async () => {
  const ca = await TestCa.create();
  key = await ca.issue('auth');
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kazashi-oidc-e2e-'));
  fs.mkdirSync(path.join(dataDir, 'keys'), { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(dataDir, 'keys', 'test-ca.json'), await ca.export(), { mode: 0o600 });
  // The issuer must be the origin the browser and the service use, so the server is told its public URL.
  server = await startDemoServer((baseUrl) => ({ KAZASHI_DATA_DIR: dataDir, KAZASHI_PUBLIC_URL: baseUrl }));
  ({ baseUrl: base, password, secrets } = server);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  rp?.kill();
  await browser?.close();
  await server?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('OpenID Connect: service registration and resident login in the browser', () => {
  let clientId = '';
  let clientSecret = '';
  let rpBase = '';

  it('a municipal admin registers a service on the admin screen; the secret is shown once', async () => {
    const rpPort = await freePort();
    rpBase = `http://127.0.0.1:${rpPort}`;
    const context = await browser.newContext({ baseURL: base, locale: 'ja-JP' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await staffLogin(page, server, 'yabu.admin');
    await page.getByRole('navigation', { name: '管理メニュー' }).getByRole('link', { name: '連携サービス (OpenID Connect)', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '連携サービス（OpenID Connect）' }).waitFor();
    await page.getByLabel('サービス名（日本語）', { exact: true }).fill('養父市 子育て応援アプリ');
    await page.getByLabel('サービス名（英語）', { exact: true }).fill('Yabu child-care app');
    await page.getByLabel('リダイレクトURI（1行に1つ）', { exact: true }).fill(`${rpBase}/callback`);
    for (const item of ['住所', '生年月日', '性別']) await page.getByRole('checkbox', { name: item, exact: true }).check();
    await expectNoSeriousAxeViolations(page);
    await page.getByRole('button', { name: '登録する', exact: true }).click();
    await page.getByRole('heading', { name: '「養父市 子育て応援アプリ」を登録しました' }).waitFor();
    clientId = (await page.getByTestId('oidc-client-id').textContent())!.trim();
    clientSecret = (await page.getByTestId('oidc-client-secret').textContent())!.trim();
    expect(clientId).toMatch(/^kz-/);
    expect(clientSecret.length).toBeGreaterThanOrEqual(43);
    await page.getByRole('button', { name: '記録しました', exact: true }).click();
    const row = page.getByRole('row').filter({ hasText: clientId });
    await row.waitFor();
    expect(await row.textContent()).toContain('氏名');
    await page.reload();
    await page.getByRole('row').filter({ hasText: clientId }).waitFor();
    expect(await page.content()).not.toContain(clientSecret);
    await context.close();
  }, 60_000);

  it('a resident logged in on My page continues, withholds an item, and the service shows sub, acr and only the consented claims', async () => {
    // The resident registers at the counter (staff API) and logs in with card + PIN (portal API).
    const staffLoginRes = await fetch(`${base}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ loginName: 'yabu.admin', password, totp: totpCode(secrets['yabu.admin']!, Date.now() + 30_000) }),
    });
    expect(staffLoginRes.status, await staffLoginRes.clone().text()).toBe(200);
    const staffCookie = staffLoginRes.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const csrf = ((await staffLoginRes.json()) as { csrfToken: string }).csrfToken;
    const staff = { 'content-type': 'application/json', cookie: staffCookie, 'x-csrf-token': csrf };
    const sign = (challenge: string) => b64(crypto.sign('sha256', Buffer.from(challenge, 'base64url'), key.privateKeyPem));
    const rc = (await (await fetch(`${base}/api/municipalities/${YABU}/identity/challenges`, { method: 'POST', headers: staff, body: JSON.stringify({ purpose: 'registration' }) })).json()) as { challengeId: string; challenge: string };
    const reg = await fetch(`${base}/api/municipalities/${YABU}/registrations`, {
      method: 'POST', headers: staff,
      body: JSON.stringify({ challengeId: rc.challengeId, purpose: 'registration', certificate: b64(key.certificate), signature: sign(rc.challenge), basicFour: HOLDER, consents: [] }),
    });
    expect(reg.status, await reg.clone().text()).toBe(201);
    const { residentId, residentNumber } = (await reg.json()) as { residentId: string; residentNumber: string };
    const ch = await fetch(`${base}/api/resident/challenges`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ municipalityCode: YABU, purpose: 'login' }) });
    const touchCookie = ch.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const lc = (await ch.json()) as { challengeId: string; challenge: string };
    const login = await fetch(`${base}/api/resident/login`, {
      method: 'POST', headers: { 'content-type': 'application/json', cookie: touchCookie },
      body: JSON.stringify({ municipalityCode: YABU, challengeId: lc.challengeId, purpose: 'login', certificate: b64(key.certificate), signature: sign(lc.challenge) }),
    });
    expect(login.status, await login.clone().text()).toBe(200);
    const token = /kazashi_resident=([^;]+)/.exec(login.headers.getSetCookie().join('\n'))![1]!;

    rp = spawn(process.execPath, ['src/server.mjs'], {
      cwd: path.join(repoRoot, 'examples/relying-party'), stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, KAZASHI_ISSUER: `${base}/oidc`, CLIENT_ID: clientId, CLIENT_SECRET: clientSecret, REDIRECT_URI: `${rpBase}/callback`, PORT: new URL(rpBase).port, HOST: '127.0.0.1' },
    });
    rp.stdout!.setEncoding('utf8').on('data', (d: string) => { rpOut += d; });
    rp.stderr!.setEncoding('utf8').on('data', (d: string) => { rpOut += d; });
    await waitFor(rpBase, 'the example relying party');

    const context = await browser.newContext({ locale: 'ja-JP' });
    await context.addCookies([{ name: 'kazashi_resident', value: token, domain: '127.0.0.1', path: '/', httpOnly: true, sameSite: 'Strict' }]);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(rpBase);
    await page.getByRole('link', { name: 'Kazashiでログイン / Log in with Kazashi' }).click();
    await page.waitForURL(/\/oidc\/interaction\//);
    await page.getByRole('heading', { level: 1, name: '連携サービスへのログイン' }).waitFor();
    await page.getByText('養父市 子育て応援アプリ', { exact: true }).waitFor();
    await page.getByText('養父市の住民としてログインしています', { exact: false }).waitFor();
    await expectNoSeriousAxeViolations(page);
    await page.getByRole('button', { name: 'このまま続ける', exact: true }).click();
    await page.getByRole('button', { name: '同意して続ける', exact: true }).waitFor();
    for (const item of ['氏名', '住所', '生年月日', '性別']) expect(await page.getByRole('checkbox', { name: item, exact: true }).isChecked()).toBe(true);
    await expectNoSeriousAxeViolations(page);
    await page.getByRole('checkbox', { name: '住所', exact: true }).uncheck();
    await page.getByRole('button', { name: '同意して続ける', exact: true }).click();
    await page.waitForURL(`${rpBase}/callback**`);
    const html = await page.content();
    const sub = (await page.locator('#sub').textContent())!;
    expect(sub, output()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await page.locator('#acr').textContent()).toBe('urn:kazashi:acr:card-pin');
    expect(html).toContain(HOLDER.name);
    expect(html).toContain(HOLDER.birthDate);
    expect(html).not.toContain(HOLDER.address);
    expect(html).not.toContain(residentId);
    expect(html).not.toContain(residentNumber);
    await context.close();
  }, 90_000);
});

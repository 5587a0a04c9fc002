// Browser end-to-end test of the counter's card flows: the built server on a fresh embedded database
// that trusts a test CA written by this test, the real card agent (in process, with in-memory
// readers) holding virtual My Number Cards, and Chromium with playwright-core. A resident registered
// with one card logs in at the counter with card + PIN, gets a new card (renewal), and the new card is
// suspended as lost.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CardAgent, MemoryReaderSource } from '@kazashi/card-agent';
import { authenticate, MemoryTransport } from '@kazashi/jpki';
import { TestCa, VirtualMyNumberCard } from '@kazashi/jpki/virtual';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser';
import { freePort, startDemoServer, type DemoServer } from './support/server';
import { staffLogin } from './support/staff';

const YABU = '282227';
const READER = 'Counter Reader 0';
const PIN = '1234';

let dataDir: string;
let server: DemoServer;
let browser: Browser;
let context: BrowserContext;
let ca: TestCa;
let source: MemoryReaderSource;
let agent: CardAgent;
let agentPort: number;

const holder = (name: string) => ({ name, address: '兵庫県養父市八鹿町八鹿1675', birthDate: '1970-05-05', sex: 'female' as const, authPin: PIN, signPin: 'KAZASHI1' });

beforeAll(async () => {
  // The server trusts the demo test CA at $KAZASHI_DATA_DIR/keys/test-ca.json: write ours there first.
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kazashi-e2e-counter-card-'));
  ca = await TestCa.create();
  fs.mkdirSync(path.join(dataDir, 'keys'), { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(dataDir, 'keys', 'test-ca.json'), await ca.export(), { mode: 0o600 });
  server = await startDemoServer({ KAZASHI_DATA_DIR: dataDir });

  source = new MemoryReaderSource([READER]);
  agent = new CardAgent({ source, allowedOrigins: [server.baseUrl], pairingToken: crypto.randomBytes(12).toString('base64url') });
  agentPort = (await agent.listen(await freePort(), '127.0.0.1')).port;

  browser = await launchChromium();
  context = await browser.newContext({ baseURL: server.baseUrl, locale: 'ja-JP' });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await agent?.close();
  await server?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Registers a resident with `card` through the API, as the counter's registration screen would. */
async function register(page: Page, card: VirtualMyNumberCard): Promise<{ residentId: string; residentNumber: string; globalId: string }> {
  const session = await page.request.get('/api/session');
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  const headers = { 'x-csrf-token': csrfToken };
  const ch = await page.request.post(`/api/municipalities/${YABU}/identity/challenges`, { headers, data: { purpose: 'registration' } });
  expect(ch.status()).toBe(201);
  const { challengeId, challenge } = (await ch.json()) as { challengeId: string; challenge: string };
  const signed = await authenticate(new MemoryTransport(card), Buffer.from(challenge, 'base64url'), PIN);
  const res = await page.request.post(`/api/municipalities/${YABU}/registrations`, {
    headers,
    data: {
      challengeId, purpose: 'registration',
      certificate: Buffer.from(signed.certificate).toString('base64'), signature: Buffer.from(signed.signature).toString('base64'),
      consents: [{ purpose: '避難所の受付', services: ['shelter'], categories: ['basic'], termsVersion: '1' }],
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { residentId: string; residentNumber: string; globalId: string };
}

async function typePin(page: Page, submit: string) {
  const pin = page.getByLabel('利用者証明用電子証明書の暗証番号（数字4桁）');
  await pin.waitFor();
  await pin.fill(PIN);
  await page.getByRole('button', { name: submit, exact: true }).click();
}

describe('the counter (窓口) with a card reader', () => {
  it('a resident logs in with card + PIN, renews the card (in-person check), and the new card is suspended as lost', async () => {
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await staffLogin(page, server, 'yabu.admin');
    const first = await VirtualMyNumberCard.issue(ca, holder('養父 花子'));
    const resident = await register(page, first);

    // The agent's port and pairing token come in the address once (the page stores and removes them).
    await page.goto(`/counter?agentPort=${agentPort}&agentToken=${encodeURIComponent(agent.pairingToken)}`);
    await page.getByRole('heading', { level: 1, name: '窓口' }).waitFor();
    await page.waitForURL(`${server.baseUrl}/counter`);

    // Card login: the resident puts the card on the reader and types the PIN.
    await page.getByRole('button', { name: 'カードで確認を始める', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'カードをリーダーに置いてください' }).waitFor();
    source.insert(READER, first);
    const login = page.waitForResponse((r) => r.url().endsWith(`/api/municipalities/${YABU}/card-logins`));
    await typePin(page, '確認する');
    expect((await login).status()).toBe(200);
    await page.getByRole('heading', { level: 2, name: `住民 ${resident.globalId}` }).waitFor();
    await page.getByText('カードと暗証番号で本人を確認しました。').waitFor();
    const cards = page.getByRole('region', { name: `${resident.globalId} のカード` });
    await cards.getByRole('row').nth(1).waitFor();
    expect(await cards.getByRole('row').count()).toBe(2);
    expect(await cards.textContent()).toContain('利用中');
    // The consent given at registration is listed.
    const consents = page.getByRole('region', { name: `${resident.globalId} の同意` });
    expect(await consents.textContent()).toContain('避難所の受付');

    // Renewal needs the in-person confirmation first.
    await page.getByRole('button', { name: '新しいカードを読み取る', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: '対面での本人確認にチェックしてください。' }).waitFor();
    source.remove(READER);
    await page.getByRole('checkbox', { name: /本人であることを対面で確認しました/ }).check();
    await page.getByRole('button', { name: '新しいカードを読み取る', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'カードをリーダーに置いてください' }).waitFor();
    const second = await VirtualMyNumberCard.issue(ca, holder('養父 花子'));
    source.insert(READER, second);
    const rebind = page.waitForResponse((r) => r.url().endsWith(`/residents/${resident.residentId}/cards/rebind`));
    await typePin(page, '新しいカードを登録');
    expect((await rebind).status()).toBe(201);
    await page.getByRole('status').filter({ hasText: '新しいカードを登録しました。' }).waitFor();
    await expect.poll(() => cards.getByRole('row').count()).toBe(3);
    expect(await cards.textContent()).toContain('更新により終了');
    source.remove(READER);

    // The new card is lost: suspended with a reason.
    await page.getByRole('button', { name: 'カードを一時停止…', exact: true }).click();
    await page.getByLabel('停止の理由').fill('紛失の届出');
    await page.getByRole('button', { name: '一時停止する', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'カードを一時停止しました。' }).waitFor();
    expect(await cards.textContent()).toContain('一時停止中');
    expect(await page.getByRole('button', { name: 'カードを一時停止…', exact: true }).count()).toBe(0);

    // Withdraw the consent on the resident's behalf, after the confirmation.
    await consents.getByRole('button', { name: '「避難所の受付」の同意を撤回' }).click();
    await page.getByRole('heading', { name: '同意の撤回の確認' }).waitFor();
    await page.getByRole('button', { name: '撤回する', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '「避難所の受付」の同意を撤回しました。' }).waitFor();
    expect(await consents.textContent()).toContain('撤回済み');

    // The suspended card no longer logs in.
    await page.getByRole('button', { name: '対応を終える', exact: true }).click();
    // The visit is over: nothing of it stays, and the keyboard is back at the resident ID field.
    expect(await page.getByTestId('counter-resident').count()).toBe(0);
    expect(await page.getByLabel('住民ID（6桁）', { exact: true }).evaluate((el) => el === document.activeElement)).toBe(true);
    await page.getByRole('button', { name: 'カードで確認を始める', exact: true }).click();
    source.insert(READER, second);
    const refused = page.waitForResponse((r) => r.url().endsWith(`/api/municipalities/${YABU}/card-logins`));
    await typePin(page, '確認する');
    const refusedRes = await refused;
    expect(refusedRes.status()).toBeGreaterThanOrEqual(400);
    const problem = (await refusedRes.json()) as { messages: { ja: string } };
    await page.getByRole('alert').filter({ hasText: problem.messages.ja }).waitFor();
    expect(await page.getByTestId('counter-resident').count()).toBe(0);
  });
});

// Done-when 2 of issue 5: a shelter kiosk keeps receiving people while the server is down, and
// everything it queued reaches the server exactly once, even when the sync is cut off mid-way
// (server stopped again, and responses lost after the server had already written them).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser';
import { freePort, totpCode } from './support/server';
import { startRestartableServer, type RestartableServer } from './support/shelterServer';
import { demoSecret, fillStaffLogin } from './support/staff';

const YABU = '282227';
const PEOPLE = 200;

let dataDir = '';
let server: RestartableServer | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kazashi-e2e-shelter-'));
  server = await startRestartableServer(dataDir, await freePort());
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A staff API session made with fetch (cookie + CSRF token), for setup and checks. */
async function apiLogin(s: RestartableServer, loginName: string) {
  const res = await fetch(`${s.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ loginName, password: s.password, totp: totpCode(demoSecret(s, loginName)) }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${s.baseUrl}${url}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${url} → ${r.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

/** SHELTER_SHOTS=dir keeps screenshots for a look at the screens. */
async function shot(page: Page, name: string) {
  const dir = process.env.SHELTER_SHOTS;
  if (dir) await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

const queueCount = async (page: Page) => Number(await page.getByTestId('queue-count').textContent());

async function waitForCount(page: Page, check: (n: number) => boolean, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const n = await queueCount(page);
    if (check(n)) return n;
    if (Date.now() > deadline) throw new Error(`queue count stuck at ${n}\n${server?.output().slice(-3000)}`);
    await page.waitForTimeout(25);
  }
}

describe('shelter kiosk offline queue', () => {
  it('keeps 200 staff-entry check-ins through server outages and syncs each exactly once', async () => {
    const s = server!;
    const hq = await apiLogin(s, 'yabu.hq');
    const shelters = await hq<{ id: string; nameJa: string }[]>('GET', `/api/municipalities/${YABU}/shelters`);
    const target = shelters[0]!;
    const disaster = await hq<{ id: string }>('POST', `/api/municipalities/${YABU}/disasters`, { kind: 'flood', nameJa: 'e2e 大雨' });
    // Room for everyone: the test is about the queue, not about capacity.
    await hq('PATCH', `/api/municipalities/${YABU}/shelters/${target.id}`, { capacity: 1000 });
    await hq('PUT', `/api/municipalities/${YABU}/shelters/${target.id}/status`, { status: 'open', disasterId: disaster.id });

    const context = await browser!.newContext({ baseURL: s.baseUrl, locale: 'ja-JP' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto('/shelter/kiosk');
    await fillStaffLogin(page, { loginName: 'yabu.shelter', password: s.password, totp: totpCode(demoSecret(s, 'yabu.shelter')) });
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();
    await page.getByLabel('避難所', { exact: true }).selectOption(target.id);
    await page.getByRole('button', { name: 'この避難所で受付を始める' }).click();
    await page.getByRole('button', { name: '職員が入力' }).click();
    expect(await queueCount(page)).toBe(0);

    // The server goes away; the door keeps working.
    await s.stop();
    const name = page.getByLabel('氏名', { exact: true });
    for (let i = 0; i < PEOPLE; i++) {
      await name.fill(`避難 太郎${String(i).padStart(3, '0')}`);
      await name.press('Enter');
      await waitForCount(page, (n) => n === i + 1, 10_000);
    }
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'オフライン・送信待ち 200件' }).count()).toBe(1);

    // Lose the first responses after the server wrote them: the browser must resend with the same key.
    let lost = 0;
    await page.route('**/api/municipalities/*/shelters/*/stays', async (route) => {
      if (lost < 3) {
        lost += 1;
        await route.fetch().catch(() => undefined);
        await route.abort('failed');
        return;
      }
      // A little slower than real, so the test can stop the server in the middle of the sync.
      await new Promise((r) => setTimeout(r, 30));
      await route.continue().catch(() => undefined);
    });

    await s.start();
    const midway = await waitForCount(page, (n) => n < PEOPLE - 20, 90_000);
    await s.stop();
    const left = await queueCount(page);
    expect(midway).toBeGreaterThan(0);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(PEOPLE);

    await s.start();
    await waitForCount(page, (n) => n === 0, 120_000);
    expect(lost).toBe(3);
    await expect.poll(() => page.getByRole('heading', { name: /確認が必要な受付/ }).count()).toBe(0);

    // Through the API: 200 people on the roster, one each.
    const hq2 = await apiLogin(s, 'yabu.admin');
    const roster = await hq2<{ nameKanji: string | null; evacueeId: string }[]>('GET', `/api/municipalities/${YABU}/shelters/${target.id}/roster?status=all`);
    expect(roster).toHaveLength(PEOPLE);
    expect(new Set(roster.map((r) => r.nameKanji)).size).toBe(PEOPLE);
    expect(new Set(roster.map((r) => r.evacueeId)).size).toBe(PEOPLE);
    await shot(page, 'kiosk');

    // The staff console shows them, and a movement made there is recorded.
    page.on('dialog', (d) => void d.accept());
    await page.goto('/shelter');
    await page.getByLabel('避難所', { exact: true }).selectOption(target.id);
    const rows = page.getByRole('table', { name: '避難者名簿' }).getByRole('row');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(PEOPLE + 1);
    await page.getByRole('searchbox', { name: '氏名・ふりがなで検索' }).fill('避難 太郎007');
    await expect.poll(() => rows.count()).toBe(2);
    await page.getByRole('button', { name: '一時外出', exact: true }).click();
    await page.getByText('避難 太郎007 さん: 一時外出 を記録しました。').waitFor();
    await page.getByRole('button', { name: '履歴', exact: true }).click();
    await page.getByRole('dialog', { name: '避難 太郎007 さんの移動履歴' }).getByText(/一時外出/).waitFor();
    await shot(page, 'console');
    await context.close();

    // And in the database itself (the server stopped: PGlite is single-process).
    await s.stop();
    const db = await PGlite.create({ dataDir: path.join(dataDir, 'platform') });
    try {
      const stays = await db.query<{ n: number; keys: number; evacuees: number }>(
        `select count(*)::int as n, count(distinct idempotency_key)::int as keys, count(distinct evacuee_id)::int as evacuees
           from shelter_stay where shelter_id = $1`,
        [target.id],
      );
      expect(stays.rows[0]).toEqual({ n: PEOPLE, keys: PEOPLE, evacuees: PEOPLE });
      const walkIns = await db.query<{ n: number }>(`select count(*)::int as n from evacuee where source = 'staff-entry'`);
      expect(walkIns.rows[0]!.n).toBe(PEOPLE);
    } finally {
      await db.close();
    }
  });
});


// Browser end-to-end tests: the built server (with the built web app) on a fresh embedded database,
// driven through Chromium with playwright-core. `npm test` builds both before vitest runs.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoBrowserSuite, expectNoSeriousAxeViolations } from './support/browser';
import { expectNoSidewaysOverflow } from './support/overflow';
import { totpCode, wrongTotpCode } from './support/server';
import { demoSecret, fillStaffLogin } from './support/staff';

const YABU = '282227';
const ASAGO = '282251';

interface PublicMunicipality {
  code: string;
  nameJa: string;
  services: string[];
}

// Each test gets its own context (cookies, localStorage with the language choice).
const suite = demoBrowserSuite();
const { newPage } = suite;

async function publicDirectory(): Promise<PublicMunicipality[]> {
  const res = await fetch(`${suite.server.baseUrl}/api/public/municipalities`);
  expect(res.status).toBe(200);
  return (await res.json()) as PublicMunicipality[];
}

function secretOf(login: string): string {
  return demoSecret(suite.server, login);
}

async function fillLogin(page: Page, loginName: string, totp: string) {
  await page.goto('/staff/login');
  await fillStaffLogin(page, { loginName, password: suite.server.password, totp });
}

describe('staff administration in the browser', () => {
  it('the Japanese landing page lists 養父市 and 朝来市 and has no serious accessibility violations', async () => {
    const page = await newPage();
    await page.goto('/');
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('かざすだけで使える自治体の共同利用デジタルサービス');

    for (const [name, code] of [['養父市', YABU], ['朝来市', ASAGO]]) {
      const card = page.getByRole('article').filter({ has: page.getByRole('heading', { name, exact: true }) });
      await card.waitFor();
      expect(await card.textContent()).toContain(code);
    }

    await expectNoSeriousAxeViolations(page);
  });

  it('a municipal admin logs in with a TOTP code, changes a joint-use service and the change persists', async () => {
    const before = (await publicDirectory()).find((m) => m.code === YABU)!;
    expect(before.services).toContain('points');
    const asagoBefore = (await publicDirectory()).find((m) => m.code === ASAGO)!.services;

    const page = await newPage();
    const sessionChecks: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/session') sessionChecks.push(r.url());
    });
    await fillLogin(page, 'yabu.admin', totpCode(secretOf('yabu.admin')));
    const header = page.getByRole('navigation', { name: 'メインメニュー' });
    await header.getByRole('link', { name: '職員ログイン', exact: true }).waitFor();
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();
    await page.waitForURL(`${suite.server.baseUrl}/admin`);
    await page.getByTestId('staff-name').waitFor();
    expect(await page.getByTestId('staff-name').textContent()).toBe('養父市 自治体管理者');

    // Signed in, the header offers the admin area instead of the login page.
    const adminLink = header.getByRole('link', { name: '管理画面', exact: true });
    await adminLink.waitFor();
    expect(await adminLink.getAttribute('href')).toBe('/admin');
    expect(await header.getByRole('link', { name: '職員ログイン', exact: true }).count()).toBe(0);

    await page.getByRole('navigation', { name: '管理メニュー' }).getByRole('link', { name: '共同利用', exact: true }).click();
    await page.waitForURL(`${suite.server.baseUrl}/admin/joint-use`);
    await page.getByRole('heading', { level: 1, name: '共同利用' }).waitFor();
    // One session check when the login page loaded; the login answer and client-side navigation need no more.
    expect(sessionChecks).toHaveLength(1);

    const yabuServices = page.getByRole('group', { name: '養父市 の利用サービス' });
    const points = yabuServices.getByRole('checkbox', { name: 'ポイント', exact: true });
    await points.waitFor();
    expect(await points.isChecked()).toBe(true);
    await points.uncheck();
    await page.getByRole('button', { name: '養父市 のサービスを保存', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '養父市 のサービスを保存しました。' }).waitFor();

    await page.reload();
    const pointsAfterReload = page.getByRole('group', { name: '養父市 の利用サービス' }).getByRole('checkbox', { name: 'ポイント', exact: true });
    await pointsAfterReload.waitFor();
    expect(await pointsAfterReload.isChecked()).toBe(false);
    expect(await page.getByRole('group', { name: '養父市 の利用サービス' }).getByRole('checkbox', { name: '健康', exact: true }).isChecked()).toBe(true);

    const after = await publicDirectory();
    expect(after.find((m) => m.code === YABU)!.services).toEqual(before.services.filter((s) => s !== 'points'));
    expect(after.find((m) => m.code === ASAGO)!.services).toEqual(asagoBefore);

    await page.getByRole('button', { name: 'ログアウト', exact: true }).click();
    await page.waitForURL(`${suite.server.baseUrl}/staff/login`);
    await header.getByRole('link', { name: '職員ログイン', exact: true }).waitFor();
    expect(await header.getByRole('link', { name: '管理画面', exact: true }).count()).toBe(0);
  });

  it('the language toggle switches the interface to English', async () => {
    const page = await newPage();
    await page.goto('/');
    await page.getByRole('heading', { name: '養父市', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Switch language to English' }).click();

    await page.getByRole('heading', { level: 1, name: 'Shared municipal digital services — just tap your card' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main menu' });
    expect(await nav.getByRole('link', { name: 'Home', exact: true }).count()).toBe(1);
    expect(await nav.getByRole('link', { name: 'Staff login', exact: true }).count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Yabu City', exact: true }).count()).toBe(1);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    // and back
    await page.getByRole('button', { name: '表示言語を日本語に切り替える' }).click();
    await page.getByRole('heading', { level: 1, name: 'かざすだけで使える自治体の共同利用デジタルサービス' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
  });

  it('a wrong TOTP code shows the API\'s Japanese message in an alert', async () => {
    // Another account than the admin test's, so a failed attempt never touches that account.
    const page = await newPage();
    await fillLogin(page, 'asago.admin', wrongTotpCode(secretOf('asago.admin')));
    const response = page.waitForResponse((r) => r.url().endsWith('/api/auth/login') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();
    const res = await response;
    expect(res.status()).toBe(401);
    const problem = (await res.json()) as { code: string; messages: { ja: string } };
    expect(problem.code).toBe('invalid-totp');

    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect((await alert.textContent())?.trim()).toBe(problem.messages.ja);
    expect(problem.messages.ja).toBe('確認コードが正しくないか、既に使用されています。');
    expect(page.url()).toBe(`${suite.server.baseUrl}/staff/login`);
  });

  it('at 360 px nothing sticks out sideways: landing, login, and (signed in) staff and audit', async () => {
    const page = await newPage({ viewport: { width: 360, height: 740 } });
    await page.goto('/');
    await page.getByRole('heading', { name: '朝来市', exact: true }).waitFor();
    await expectNoSidewaysOverflow(page, 360);

    await fillLogin(page, 'yabu.platform', totpCode(secretOf('yabu.platform')));
    await expectNoSidewaysOverflow(page, 360);
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();
    await page.waitForURL(`${suite.server.baseUrl}/admin`);

    await page.goto('/admin/staff');
    await page.getByRole('heading', { level: 3, name: '養父市 全体管理者', exact: true }).waitFor();
    await page.getByRole('heading', { name: '職員アカウントを作成' }).waitFor();
    await expectNoSidewaysOverflow(page, 360);

    await page.goto('/admin/audit');
    const table = page.locator('[role="region"]').filter({ has: page.getByRole('table') });
    await table.getByRole('row').nth(1).waitFor();
    await expectNoSidewaysOverflow(page, 360);
    // The wide table scrolls inside its own region instead of the page.
    expect(await table.evaluate((el) => el.scrollWidth > el.clientWidth && getComputedStyle(el).overflowX === 'auto')).toBe(true);
  });
});

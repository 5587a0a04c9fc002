// Browser end-to-end tests: the built server (with the built web app) on a fresh embedded database,
// driven through Chromium with playwright-core. `npm test` builds both before vitest runs.
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, totpCode, wrongTotpCode, type DemoServer } from './support/server';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const YABU = '282227';
const ASAGO = '282251';

interface PublicMunicipality {
  code: string;
  nameJa: string;
  services: string[];
}

let server: DemoServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  server = await startDemoServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterEach(async () => {
  // Each test gets its own context (cookies, localStorage with the language choice).
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function newPage(options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.baseUrl, locale: 'ja-JP', ...options });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

async function publicDirectory(): Promise<PublicMunicipality[]> {
  const res = await fetch(`${server.baseUrl}/api/public/municipalities`);
  expect(res.status).toBe(200);
  return (await res.json()) as PublicMunicipality[];
}

function secretOf(login: string): string {
  const secret = server.secrets[login];
  if (!secret) throw new Error(`no TOTP secret for ${login} in the demo output:\n${server.output()}`);
  return secret;
}

async function fillLogin(page: Page, loginName: string, totp: string) {
  await page.goto('/staff/login');
  await page.getByLabel('ログインID', { exact: true }).fill(loginName);
  await page.getByLabel('パスワード', { exact: true }).fill(server.password);
  await page.getByLabel('確認コード（6桁）', { exact: true }).fill(totp);
}

interface Overflow {
  scrollWidth: number;
  clientWidth: number;
  /** Visible boxes (elements and text) that reach past the right edge outside any sideways-scrolling container. */
  offenders: string[];
}

/**
 * Measures sideways overflow at the current viewport: the document's scroll width, and every visible
 * element or run of text whose box ends right of the viewport, unless it lies inside an element that
 * scrolls horizontally itself (overflow-x: auto | scroll, like DataTable's region).
 */
async function sidewaysOverflow(page: Page): Promise<Overflow> {
  return page.evaluate(() => {
    const limit = document.documentElement.clientWidth;
    const scrollsSideways = (el: Element) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
    const insideScroller = (node: Node) => {
      for (let a = node.parentElement; a; a = a.parentElement) if (scrollsSideways(a)) return true;
      return false;
    };
    const describe = (el: Element, right: number, what = '') => {
      const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).slice(0, 4).join('.')}` : '';
      const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
      return `${what}<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${cls}> right=${Math.round(right)} "${text}"`;
    };
    const offenders: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || r.right <= limit + 0.5) continue;
      if (!insideScroller(el)) offenders.push(describe(el, r.right));
    }
    // Text that runs out of its own (narrower) box does not show in the element boxes above.
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const parent = n.parentElement;
      if (!parent || !n.textContent?.trim() || !parent.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
      range.selectNodeContents(n);
      const r = range.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || r.right <= limit + 0.5) continue;
      if (!insideScroller(n)) offenders.push(describe(parent, r.right, 'text in '));
    }
    return { scrollWidth: document.documentElement.scrollWidth, clientWidth: limit, offenders };
  });
}

async function expectNoSidewaysOverflow(page: Page, width: number) {
  const { scrollWidth, clientWidth, offenders } = await sidewaysOverflow(page);
  const where = new URL(page.url()).pathname;
  expect(clientWidth, where).toBe(width);
  expect(offenders, `${where}: boxes past x=${width}`).toEqual([]);
  expect(scrollWidth, `${where}: document scroll width`).toBeLessThanOrEqual(width);
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

    await page.addScriptTag({ path: AXE_PATH });
    const { violations, passes } = await page.evaluate(async () => {
      type Result = { id: string; impact?: string | null; help: string; nodes: { target: unknown[]; failureSummary?: string }[] };
      const axe = (window as unknown as { axe: { run: () => Promise<{ violations: Result[]; passes: Result[] }> } }).axe;
      const results = await axe.run();
      return {
        passes: results.passes.length,
        violations: results.violations.map((v) => ({
          id: v.id, impact: v.impact ?? null, help: v.help,
          nodes: v.nodes.map((n) => ({ target: n.target.map(String).join(' '), summary: n.failureSummary })),
        })),
      };
    });
    expect(passes).toBeGreaterThan(0); // axe really ran
    const serious = violations.filter((v) => v.impact === 'critical' || v.impact === 'serious');
    if (violations.length) console.log('axe violations:\n' + JSON.stringify(violations, null, 2));
    expect(serious).toEqual([]);
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
    await page.waitForURL(`${server.baseUrl}/admin`);
    await page.getByTestId('staff-name').waitFor();
    expect(await page.getByTestId('staff-name').textContent()).toBe('養父市 自治体管理者');

    // Signed in, the header offers the admin area instead of the login page.
    const adminLink = header.getByRole('link', { name: '管理画面', exact: true });
    await adminLink.waitFor();
    expect(await adminLink.getAttribute('href')).toBe('/admin');
    expect(await header.getByRole('link', { name: '職員ログイン', exact: true }).count()).toBe(0);

    await page.getByRole('navigation', { name: '管理メニュー' }).getByRole('link', { name: '共同利用', exact: true }).click();
    await page.waitForURL(`${server.baseUrl}/admin/joint-use`);
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
    await page.waitForURL(`${server.baseUrl}/staff/login`);
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
    expect(page.url()).toBe(`${server.baseUrl}/staff/login`);
  });

  it('at 360 px nothing sticks out sideways: landing, login, and (signed in) staff and audit', async () => {
    const page = await newPage({ viewport: { width: 360, height: 740 } });
    await page.goto('/');
    await page.getByRole('heading', { name: '朝来市', exact: true }).waitFor();
    await expectNoSidewaysOverflow(page, 360);

    await fillLogin(page, 'yabu.platform', totpCode(secretOf('yabu.platform')));
    await expectNoSidewaysOverflow(page, 360);
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();
    await page.waitForURL(`${server.baseUrl}/admin`);

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

// Browser end-to-end test of the counter (窓口): the built server (with the built web app) on a fresh
// embedded database, driven through Chromium with playwright-core. No card reader is needed: the
// resident is found by number, and the QR card is checked by pasting its token.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import QRCode from 'qrcode';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoBrowserSuite, expectNoSeriousAxeViolations, launchChromium, type ContextOptions } from './support/browser';
import { expectNoSidewaysOverflow } from './support/overflow';
import { staffLogin } from './support/staff';

const YABU = '282227';

interface ResidentRow {
  id: string;
  residentNumber: string | null;
  globalId: string | null;
}

const suite = demoBrowserSuite();
const { newPage } = suite;

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;
let adminState: StorageState | undefined;

/**
 * A page signed in as 養父市's municipal admin (who may issue and revoke QR cards). The first call
 * logs in through the login page with a TOTP code; later calls reuse its cookies, since a TOTP code
 * is accepted only once.
 */
async function adminPage(options: ContextOptions = {}): Promise<Page> {
  if (adminState) {
    const page = await newPage({ ...options, storageState: adminState });
    await page.goto('/admin');
    return page;
  }
  const page = await newPage(options);
  await staffLogin(page, suite.server, 'yabu.admin');
  adminState = await page.context().storageState();
  return page;
}

/** The same six digits with the last one changed: the Damm check digit catches every such typo. */
function withTypo(number: string): string {
  const last = Number(number.at(-1));
  return number.slice(0, 5) + String((last + 1) % 10);
}

describe('the counter (窓口) in the browser', () => {
  it('finds a resident by number (typo caught in the browser), issues a QR card, checks it, revokes it and the token is refused', async () => {
    const page = await adminPage();

    // A demo resident's number, asked through the API with the staff session of this browser.
    const res = await page.request.get(`/api/municipalities/${YABU}/residents`);
    expect(res.status()).toBe(200);
    const resident = ((await res.json()) as ResidentRow[]).find((r) => r.residentNumber);
    if (!resident?.residentNumber) throw new Error('the demo seed gave 養父市 no resident with a resident number');
    const number = resident.residentNumber;
    const globalId = `${YABU}-${number}`;

    const lookups: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.includes('/residents/by-number/')) lookups.push(r.url());
    });

    await page.getByRole('navigation', { name: '管理メニュー' }).getByRole('link', { name: '窓口', exact: true }).click();
    await page.waitForURL(`${suite.server.baseUrl}/counter`);
    await page.getByRole('heading', { level: 1, name: '窓口' }).waitFor();

    // A typo: refused in the browser, nothing sent.
    const numberField = page.getByLabel('住民ID（6桁）', { exact: true });
    await numberField.fill(withTypo(number));
    await page.getByRole('button', { name: '検索', exact: true }).click();
    const typoAlert = page.getByRole('alert').filter({ hasText: 'この番号は正しくありません。入力をご確認ください' });
    await typoAlert.waitFor();
    expect(await numberField.getAttribute('aria-invalid')).toBe('true');
    expect(lookups).toEqual([]);

    // The right number (typed with a space, as people do).
    await numberField.fill(`${number.slice(0, 3)} ${number.slice(3)}`);
    await page.getByRole('button', { name: '検索', exact: true }).click();
    const heading = page.getByRole('heading', { level: 2, name: `住民 ${globalId}` });
    await heading.waitFor();
    expect(lookups).toHaveLength(1);
    expect(await typoAlert.count()).toBe(0);
    expect(await page.getByTestId('counter-resident-number').textContent()).toBe(number);
    expect(await page.getByTestId('counter-global-id').textContent()).toBe(globalId);
    // The panel takes focus so keyboard and screen-reader users land on it.
    expect(await heading.evaluate((el) => el === document.activeElement)).toBe(true);

    // Issue a printable QR card.
    const issued = page.waitForResponse((r) => r.url().endsWith(`/residents/${resident.id}/qr-cards`) && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'QRカードを発行', exact: true }).click();
    const issuedRes = await issued;
    expect(issuedRes.status()).toBe(201);
    const card = (await issuedRes.json()) as { cardId: string; token: string };
    await page.getByRole('status').filter({ hasText: 'QRカードを発行しました。' }).waitFor();
    const qrImage = page.getByRole('img', { name: `住民 ${globalId} のQRコード` });
    await qrImage.waitFor();
    expect(await qrImage.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    const face = page.getByRole('article', { name: '住民QRカード' });
    expect(await face.getByTestId('qr-card-resident-number').textContent()).toBe(number);
    expect(await face.getByTestId('qr-card-municipality').textContent()).toContain('養父市');
    expect(await face.textContent()).toContain(card.cardId);
    // The print copy (for @media print) is there too, hidden on screen.
    expect(await page.locator('#kazashi-qr-print').count()).toBe(1);
    expect(await page.locator('#kazashi-qr-print').isVisible()).toBe(false);
    // Printed, only the card shows: the print copy, not the page around it.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#kazashi-qr-print').isVisible()).toBe(true);
    expect(await page.locator('#kazashi-qr-print').getByRole('img', { name: `住民 ${globalId} のQRコード` }).isVisible()).toBe(true);
    expect(await page.locator('#root').isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });

    // The token is accepted in the QR check box.
    const tokenField = page.getByLabel('QRコードの内容', { exact: true });
    await tokenField.fill(card.token);
    await page.getByRole('button', { name: '確認', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '有効なQRコードです。' }).waitFor();
    const result = page.getByTestId('qr-check-result');
    expect(await result.textContent()).toContain(globalId);
    expect(await result.textContent()).toContain('印刷したQRカード');

    // Revoke the card.
    await page.getByRole('button', { name: 'このQRカードを無効化', exact: true }).click();
    await page.getByRole('status').filter({ hasText: `QRカード（番号 ${card.cardId}）を無効化しました。` }).waitFor();
    expect(await page.locator('#kazashi-qr-print').count()).toBe(0);

    // The same token is now refused, with the server's Japanese message.
    const refused = page.waitForResponse((r) => r.url().endsWith('/qr/validate') && r.request().method() === 'POST');
    await tokenField.fill(card.token);
    await page.getByRole('button', { name: '確認', exact: true }).click();
    const refusedRes = await refused;
    expect(refusedRes.status()).toBe(410);
    const problem = (await refusedRes.json()) as { code: string; messages: { ja: string } };
    expect(problem.code).toBe('qr-card-revoked');
    await page.getByRole('alert').filter({ hasText: problem.messages.ja }).waitFor();
    expect(problem.messages.ja).toBe('このQRカードは無効化されています。窓口で再発行してください。');
    expect(await result.count()).toBe(0);

    // No camera in this browser: the scanner says so in plain words and the typed token still works.
    await page.getByRole('button', { name: 'カメラで読み取る', exact: true }).click();
    await page.getByRole('status').filter({ hasText: /カメラを使えませんでした|この端末ではカメラを使えません/ }).waitFor();
    await page.getByRole('button', { name: '閉じる', exact: true }).click();
    expect(await page.getByRole('button', { name: 'カメラで読み取る', exact: true }).count()).toBe(1);
  });

  it('at 360 px the counter with a resident shown does not scroll sideways and has no serious accessibility violations', async () => {
    const page = await adminPage({ viewport: { width: 360, height: 740 } });
    const res = await page.request.get(`/api/municipalities/${YABU}/residents`);
    const resident = ((await res.json()) as ResidentRow[]).find((r) => r.residentNumber)!;

    await page.goto('/counter');
    await page.getByLabel('住民ID（6桁）', { exact: true }).fill(resident.residentNumber!);
    await page.getByRole('button', { name: '検索', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: `住民 ${YABU}-${resident.residentNumber}` }).waitFor();
    await page.getByRole('button', { name: 'QRカードを発行', exact: true }).click();
    await page.getByRole('img', { name: `住民 ${YABU}-${resident.residentNumber} のQRコード` }).waitFor();

    await expectNoSidewaysOverflow(page, 360);

    await expectNoSeriousAxeViolations(page);
  });

  it('the municipal admin marks a kiosk flow touch-only and the choice persists', async () => {
    const page = await adminPage();
    await page.getByRole('navigation', { name: '管理メニュー' }).getByRole('link', { name: 'タッチのみの手続き', exact: true }).click();
    await page.waitForURL(`${suite.server.baseUrl}/admin/touch-only`);
    await page.getByRole('heading', { level: 1, name: 'タッチのみで使える手続き' }).waitFor();
    // The page says plainly that a touch without a PIN is weaker.
    expect(await page.getByText('acr「card-touch」', { exact: false }).count()).toBe(1);

    const group = page.getByRole('group', { name: '暗証番号なしで使える手続き' });
    const reentry = group.getByRole('checkbox', { name: /shelter-reentry/ });
    const portal = group.getByRole('checkbox', { name: /portal-view/ });
    await reentry.waitFor();
    expect(await reentry.isChecked()).toBe(false);
    await reentry.check();
    const saved = page.waitForResponse((r) => r.url().endsWith(`/api/municipalities/${YABU}/touch-only-flows`) && r.request().method() === 'PUT');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    expect((await saved).status()).toBe(200);
    await page.getByRole('status').filter({ hasText: '設定を保存しました。' }).waitFor();

    await page.reload();
    await reentry.waitFor();
    expect(await reentry.isChecked()).toBe(true);
    expect(await portal.isChecked()).toBe(false);
    const res = await page.request.get(`/api/municipalities/${YABU}/touch-only-flows`);
    expect(await res.json()).toEqual({ flows: ['shelter-reentry'] });
  });

  it('the camera reads a QR card: the scanned token is checked at once', async () => {
    // A fake camera that shows the card's QR code: Chromium plays a Y4M file (one grey-scale frame, looped).
    const page = await adminPage();
    const residents = (await (await page.request.get(`/api/municipalities/${YABU}/residents`)).json()) as ResidentRow[];
    const resident = residents.find((r) => r.residentNumber)!;
    const { csrfToken } = (await (await page.request.get('/api/session')).json()) as { csrfToken: string };
    const issued = await page.request.post(`/api/municipalities/${YABU}/residents/${resident.id}/qr-cards`, { headers: { 'x-csrf-token': csrfToken } });
    expect(issued.status()).toBe(201);
    const { token } = (await issued.json()) as { token: string };

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kazashi-e2e-camera-'));
    const video = path.join(dir, 'qr.y4m');
    fs.writeFileSync(video, qrVideoFrame(token));
    const camera = await launchChromium(['--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`]);
    try {
      const context = await camera.newContext({ baseURL: suite.server.baseUrl, locale: 'ja-JP', storageState: adminState });
      await context.grantPermissions(['camera'], { origin: suite.server.baseUrl });
      const tab = await context.newPage();
      tab.setDefaultTimeout(15_000);
      await tab.goto('/counter');
      const validated = tab.waitForResponse((r) => r.url().endsWith('/qr/validate') && r.request().method() === 'POST');
      await tab.getByRole('button', { name: 'カメラで読み取る', exact: true }).click();
      expect((await validated).status()).toBe(200);
      await tab.getByRole('status').filter({ hasText: '有効なQRコードです。' }).waitFor();
      expect(await tab.getByLabel('QRコードの内容', { exact: true }).inputValue()).toBe(token);
      expect(await tab.getByTestId('qr-check-result').textContent()).toContain(`${YABU}-${resident.residentNumber}`);
      // The camera is released once the code is read.
      expect(await tab.getByRole('button', { name: 'カメラで読み取る', exact: true }).count()).toBe(1);
      expect(await tab.locator('video').count()).toBe(0);
    } finally {
      await camera.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** One 640×480 Y4M (YUV 4:2:0) frame showing `text` as a black-on-white QR code. */
function qrVideoFrame(text: string): Buffer {
  const W = 640;
  const H = 480;
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const scale = Math.floor((H - 40) / (modules.size + 8));
  const x0 = Math.floor((W - modules.size * scale) / 2);
  const y0 = Math.floor((H - modules.size * scale) / 2);
  const luma = Buffer.alloc(W * H, 255);
  for (let r = 0; r < modules.size; r++) {
    for (let c = 0; c < modules.size; c++) {
      if (!modules.get(r, c)) continue;
      for (let dy = 0; dy < scale; dy++) luma.fill(0, (y0 + r * scale + dy) * W + x0 + c * scale, (y0 + r * scale + dy) * W + x0 + (c + 1) * scale);
    }
  }
  const chroma = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F30:1 Ip A1:1 C420jpeg\nFRAME\n`), luma, chroma]);
}

// Done-when (resident screens): a staff member opens the kiosk, a resident registers with card + PIN
// and the basic four, gets a resident ID, logs in to My page with the card, withdraws a consent and
// sees registration, login and withdrawal in "who used my information". Real pieces end to end:
// Chromium → the built web app and server → the card agent CLI → pcscd → vpcd → VirtualMyNumberCard
// issued from the demo test CA the server trusts.
//
// vpcd reader: vpcd's two slots of "Virtual PCD" are taken (slot 0: @kazashi/jpki integration and
// the card agent's browser suite; slot 1: the server's `kazashi card` suite), so this suite adds its
// own vpcd reader "Kazashi Kiosk PCD" (ports 35965/35966) with /etc/reader.conf.d/vpcd-kazashi-kiosk,
// loaded from its own copy of the driver (vpcd keeps per-slot state in globals: two readers sharing
// one loaded driver would share slots). A running pcscd is asked to rescan (`pcscd --hotplug`).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PcscReaders } from '@kazashi/jpki';
import { connectToVpcd, ensurePcscd, lockPcsc, openPcscReaders, TestCa, VirtualMyNumberCard, type VpcdLink } from '@kazashi/jpki/virtual';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSeriousAxeViolations, launchChromium } from './support/browser';
import { expectNoSidewaysOverflow } from './support/overflow';
import { freePort, repoRoot, startDemoServer, totpCode, type DemoServer } from './support/server';
import { demoSecret, fillStaffLogin } from './support/staff';

const AGENT_CLI = path.join(repoRoot, 'packages/card-agent/dist/cli.js');
const YABU = '282227';

const KIOSK_READER_CONF = '/etc/reader.conf.d/vpcd-kazashi-kiosk';
const KIOSK_DRIVER = '/usr/local/lib/kazashi/libifdvpcd-kiosk.so';
const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';
const KIOSK_READER = 'Kazashi Kiosk PCD 00 00';
const KIOSK_PORT = 0x8c7d; // 35965: slot 0 of that reader
const READER_CONF = `# Kazashi kiosk e2e test (packages/web/e2e/resident-kiosk.test.ts): a second vpcd reader on ports
# 35965/35966, from its own copy of the vpcd driver (the driver keeps per-slot state in globals,
# so two readers must not share one loaded copy). Names do not start with "Virtual PCD".
FRIENDLYNAME "Kazashi Kiosk PCD"
DEVICENAME   /dev/null:0x8C7D
LIBPATH      ${KIOSK_DRIVER}
CHANNELID    0x8C7D
`;

const HOLDER = {
  name: '養父 次郎',
  address: '兵庫県養父市広谷250番地の1',
  birthDate: '1944-06-15',
  sex: 'male' as const,
  authPin: '4321',
  signPin: 'KAZASHI1',
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Installs the kiosk reader's config and driver copy (root), idempotently. */
function installKioskReader(): boolean {
  const installed = fs.existsSync(KIOSK_DRIVER) && fs.existsSync(KIOSK_READER_CONF) && fs.readFileSync(KIOSK_READER_CONF, 'utf8') === READER_CONF;
  if (installed) return false;
  if (process.getuid?.() !== 0) {
    throw new Error(`this suite needs its own vpcd reader: as root, copy ${VPCD_DRIVER} to ${KIOSK_DRIVER} and write ${KIOSK_READER_CONF} (see READER_CONF in this file), or run the suite once as root`);
  }
  let changed = false;
  if (!fs.existsSync(KIOSK_DRIVER)) {
    fs.mkdirSync(path.dirname(KIOSK_DRIVER), { recursive: true });
    fs.copyFileSync(fs.realpathSync(VPCD_DRIVER), KIOSK_DRIVER);
    changed = true;
  }
  if (!fs.existsSync(KIOSK_READER_CONF) || fs.readFileSync(KIOSK_READER_CONF, 'utf8') !== READER_CONF) {
    fs.writeFileSync(KIOSK_READER_CONF, READER_CONF);
    changed = true;
  }
  return changed;
}

/** pcscd up and serving the kiosk reader. */
async function kioskReaderReady(): Promise<void> {
  installKioskReader();
  let { readers } = await ensurePcscd();
  if (!readers.includes(KIOSK_READER)) {
    // pcscd started before the config existed: ask it to rescan /etc/reader.conf.d.
    spawnSync('pcscd', ['--hotplug'], { stdio: 'ignore' });
    for (let i = 0; i < 50 && !readers.includes(KIOSK_READER); i++) {
      await sleep(200);
      readers = (await ensurePcscd()).readers;
    }
  }
  expect(readers, `pcscd does not serve ${KIOSK_READER}`).toContain(KIOSK_READER);
}

let server: DemoServer;
let dataDir: string;
let browser: Browser;
let context: BrowserContext;
let agent: ChildProcess;
let agentOut = '';
let agentPort: number;
let readers: PcscReaders;
let card: VirtualMyNumberCard;
/** Someone else's card, from the same CA. */
let otherCard: VirtualMyNumberCard;
let link: VpcdLink | undefined;
const agentToken = crypto.randomBytes(18).toString('base64url');

async function insertCard(which: VirtualMyNumberCard = card): Promise<void> {
  link = await connectToVpcd({ card: which, port: KIOSK_PORT });
  await link.ready;
  await readers.waitForCard({ reader: KIOSK_READER, timeoutMs: 15_000 });
}

async function removeCard(): Promise<void> {
  if (!link?.connected) return;
  await link.disconnect();
  for (let i = 0; i < 100 && readers.readers().some((r) => r.name === KIOSK_READER && r.cardPresent); i++) await sleep(100);
}

let releasePcsc: (() => void) | undefined;
// Registered first, so it runs after the suite's own afterAll (hooks unwind as a stack), even if that fails.
afterAll(() => releasePcsc?.());
beforeAll(async () => {
  // One suite at a time on pcscd (a card agent picks whichever reader holds a card).
  releasePcsc = await lockPcsc({ holder: 'resident-kiosk.test.ts', log: console.log });
  await kioskReaderReady();
  readers = await openPcscReaders();

  // The server trusts its demo test CA ($KAZASHI_DATA_DIR/keys/test-ca.json): put ours there first.
  const ca = await TestCa.create();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kazashi-kiosk-e2e-'));
  fs.mkdirSync(path.join(dataDir, 'keys'), { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(dataDir, 'keys', 'test-ca.json'), await ca.export(), { mode: 0o600 });
  card = await VirtualMyNumberCard.issue(ca, HOLDER);
  otherCard = await VirtualMyNumberCard.issue(ca, { ...HOLDER, name: '大屋 三郎', authPin: '1357' });

  server = await startDemoServer({ KAZASHI_DATA_DIR: dataDir });

  agentPort = await freePort();
  // vpcd carries extended-length APDUs without advertising them: the kiosk operator turns them on.
  agent = spawn(process.execPath, [AGENT_CLI, '--origin', server.baseUrl, '--port', String(agentPort), `--token=${agentToken}`, '--extended-length', 'on'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  agent.stdout!.on('data', (d: Buffer) => { agentOut += d; });
  agent.stderr!.on('data', (d: Buffer) => { agentOut += d; });
  for (let i = 0; !agentOut.includes('listening') && i < 100; i++) await sleep(100);
  expect(agentOut, agentOut).toContain('card agent listening');

  browser = await launchChromium();
  context = await browser.newContext({ baseURL: server.baseUrl, locale: 'ja-JP', acceptDownloads: true });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  agent?.kill();
  await removeCard().catch(() => {});
  await readers?.close();
  await server?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('resident kiosk registration and My page', () => {
  let page: Page;
  let residentNumber = '';

  it('staff open the kiosk; a resident registers with card + PIN and the basic four and gets a resident ID', async () => {
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const query = new URLSearchParams({ agentPort: String(agentPort), agentToken, agentReader: KIOSK_READER });
    await page.goto(`/kiosk?${query}`);
    // The pairing token does not stay in the address bar.
    await page.waitForURL(`${server.baseUrl}/kiosk`);
    expect(await page.evaluate(() => JSON.parse(localStorage.getItem('kazashi.cardAgent') ?? '{}'))).toEqual({ port: agentPort, token: agentToken, reader: KIOSK_READER });

    // A staff member logs the kiosk in.
    await page.getByRole('heading', { name: 'キオスクの準備（職員用）' }).waitFor();
    await fillStaffLogin(page, { loginName: 'yabu.admin', password: server.password, totp: totpCode(demoSecret(server, 'yabu.admin')) });
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();

    // Step 1: place the card, then the PIN.
    await page.getByRole('heading', { name: '1. カードと暗証番号で本人確認' }).waitFor();
    // The kiosk has no way into the admin area although a staff session is open on it.
    expect(await page.getByRole('link', { name: '管理画面' }).count()).toBe(0);
    expect(await page.getByRole('navigation').count()).toBe(0);
    await page.getByRole('status').getByText('カードをリーダーに置いてください', { exact: true }).waitFor();
    expect(await page.getByRole('list', { name: '登録の手順' }).locator('[aria-current="step"]').textContent()).toContain('カードと暗証番号');
    await expectNoSeriousAxeViolations(page);

    await insertCard();
    const pin = page.getByLabel('利用者証明用電子証明書の暗証番号（数字4桁）');
    await pin.waitFor();
    // A wrong PIN says how many tries are left.
    await pin.fill('0000');
    await page.getByRole('button', { name: '本人確認する' }).click();
    await page.getByRole('alert').filter({ hasText: '暗証番号が違います。あと2回まちがえるとロックされます。' }).waitFor();
    await pin.fill(HOLDER.authPin);
    await page.getByRole('button', { name: '本人確認する' }).click();

    // Step 2: the basic four with the 券面事項入力補助 PIN, shown for confirmation.
    await page.getByRole('heading', { name: '2. 住所・氏名などの読み取り（任意）' }).waitFor();
    const cardInfoPin = page.getByLabel('券面事項入力補助用の暗証番号（数字4桁）');
    await cardInfoPin.waitFor();
    // The card comes off the reader: asked to put it back.
    await removeCard();
    await page.getByRole('status').getByText('カードが外れました。もう一度カードをリーダーに置いてください。').waitFor();
    // Someone else's card is refused: the basic four must come from the card that was confirmed.
    await insertCard(otherCard);
    await cardInfoPin.fill('1357');
    await page.getByRole('button', { name: '読み取る', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: '最初に確認したカードとは別のカードです。同じカードをリーダーに置いてください。' }).waitFor();
    expect(await page.getByText('大屋 三郎').count()).toBe(0);
    await removeCard();
    await insertCard();
    // Two wrong PINs: with one try left, the PIN is sent only after an explicit confirmation.
    for (const [wrong, left] of [['0000', 2], ['1111', 1]] as const) {
      await cardInfoPin.fill(wrong);
      await page.getByRole('button', { name: '読み取る', exact: true }).click();
      await page.getByRole('alert').filter({ hasText: `暗証番号が違います。あと${left}回まちがえるとロックされます。` }).waitFor();
    }
    const confirmLast = page.getByRole('checkbox', { name: '確認しました。この暗証番号で試します' });
    await confirmLast.waitFor();
    await cardInfoPin.fill(HOLDER.authPin);
    await page.getByRole('button', { name: '読み取る', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: '送る前に、上の確認にチェックを入れてください。' }).waitFor();
    expect(card.pinTriesLeft('cardInfo')).toBe(1); // nothing was sent
    await cardInfoPin.fill(HOLDER.authPin);
    await confirmLast.check();
    await page.getByRole('button', { name: '読み取る', exact: true }).click();
    await page.getByRole('heading', { name: '読み取った内容を確認してください' }).waitFor();
    for (const v of [HOLDER.name, HOLDER.address, HOLDER.birthDate, '男性']) await page.getByText(v, { exact: true }).waitFor();
    await page.getByRole('button', { name: 'この内容で次へ' }).click();

    // Step 3: terms and consents.
    await page.getByRole('heading', { name: '3. 利用規約と同意' }).waitFor();
    await page.getByRole('button', { name: '登録する', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: '登録するには、利用規約への同意が必要です。' }).waitFor();
    await page.getByRole('checkbox', { name: '利用規約に同意します' }).check();
    await page.getByRole('checkbox', { name: '避難所', exact: true }).check();
    await page.getByRole('checkbox', { name: 'イベント', exact: true }).check();
    await page.getByRole('checkbox', { name: /共同利用グループの市町（朝来市）とも/ }).check();
    await expectNoSeriousAxeViolations(page);
    await page.setViewportSize({ width: 360, height: 740 });
    await expectNoSidewaysOverflow(page, 360);
    await page.setViewportSize({ width: 1280, height: 720 });
    const registered = page.waitForResponse((r) => r.url().endsWith(`/api/municipalities/${YABU}/registrations`) && r.request().method() === 'POST');
    await page.getByRole('button', { name: '登録する', exact: true }).click();
    const res = await registered;
    expect(res.status(), await res.text()).toBe(201);
    const body = (await res.json()) as { residentNumber: string; globalId: string };

    // The issued resident ID, large, with print and finish.
    await page.getByRole('heading', { name: '登録が完了しました' }).waitFor();
    residentNumber = (await page.getByTestId('kiosk-resident-id').textContent())!.trim();
    expect(residentNumber).toMatch(/^\d{6}$/);
    expect(residentNumber).toBe(body.residentNumber);
    expect(await page.getByTestId('kiosk-global-id').textContent()).toBe(body.globalId);
    expect(body.globalId).toContain(residentNumber);
    expect(await page.getByRole('button', { name: '印刷する' }).isVisible()).toBe(true);
    await expectNoSeriousAxeViolations(page);

    // Finish clears the screen: nothing of the resident stays on the kiosk.
    await page.getByRole('button', { name: '終わる', exact: true }).click();
    await page.getByRole('heading', { name: '1. カードと暗証番号で本人確認' }).waitFor();
    expect(await page.getByText(residentNumber).count()).toBe(0);
    expect(await page.getByText(HOLDER.name).count()).toBe(0);

    // The staff member closes the kiosk.
    await page.getByRole('button', { name: '職員ログアウト' }).click();
    await page.getByRole('heading', { name: 'キオスクの準備（職員用）' }).waitFor();
  });

  it('the resident logs in to My page with the card, withdraws a consent and sees who used their data', async () => {
    expect(residentNumber).not.toBe('');
    await page.goto('/my');
    // Not logged in: to the login page, coming back to /my afterwards.
    await page.waitForURL(/\/my\/login\?return=%2Fmy$/);
    await page.getByRole('heading', { level: 1, name: 'マイページにログイン' }).waitFor();
    await page.getByLabel('お住まいの市町').selectOption(YABU);
    const pin = page.getByLabel('利用者証明用電子証明書の暗証番号（数字4桁）');
    await pin.fill(HOLDER.authPin);
    await page.getByRole('button', { name: 'ログインする' }).click();
    await page.waitForURL(`${server.baseUrl}/my`);

    await page.getByRole('heading', { level: 1, name: 'マイページ' }).waitFor();
    await page.getByText(`養父市 の住民ID ${residentNumber} でログインしています。`).waitFor();
    const profile = page.getByRole('region', { name: '登録されている情報' });
    for (const v of [HOLDER.name, HOLDER.address, HOLDER.birthDate, residentNumber]) await profile.getByText(v, { exact: true }).waitFor();

    // Withdraw the shelter consent, after a confirmation.
    const consents = page.getByRole('region', { name: '同意' });
    await consents.getByRole('heading', { name: '避難所での情報の利用' }).waitFor();
    await consents.getByRole('button', { name: '「避難所での情報の利用」の同意を取り消す' }).click();
    const dialog = page.getByRole('dialog', { name: '同意を取り消しますか' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: '取り消す', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '「避難所での情報の利用」の同意を取り消しました。' }).waitFor();
    expect(await consents.getByRole('button', { name: '「避難所での情報の利用」の同意を取り消す' }).count()).toBe(0);
    expect(await consents.getByRole('button', { name: '「イベントでの情報の利用」の同意を取り消す' }).count()).toBe(1);

    // Who used my information: registration, login and the withdrawal, in plain words.
    const log = page.getByTestId('access-log');
    await log.getByText('職員（yabu.admin）が、あなたの住民登録をしました。').waitFor();
    await log.getByText('あなたが、カードでマイページにログインしました。').first().waitFor();
    await log.getByText('が、同意を取り消しました。', { exact: false }).first().waitFor();

    await expectNoSeriousAxeViolations(page);

    // The consent export is a JSON download of the records.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '同意の記録をダウンロード（JSON）' }).click();
    const file = await (await download).path();
    const exported = JSON.parse(fs.readFileSync(file!, 'utf8')) as { records: { purpose: string; status: string }[] };
    expect(exported.records.find((r) => r.purpose === 'service.shelter')?.status).toBe('withdrawn');

    // The personal QR code, renewed by itself with a countdown.
    await page.getByRole('button', { name: 'QRコードを表示する' }).click();
    const qr = page.getByRole('img', { name: 'あなたの受付用QRコード' });
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    await page.getByText(/^あと \d+ 秒で新しいコードに変わります$/).waitFor();
    await page.getByRole('button', { name: 'QRコードを隠す' }).click();

    // Nothing sticks out sideways at 360 px.
    await page.setViewportSize({ width: 360, height: 740 });
    await expectNoSidewaysOverflow(page, 360);
    await page.setViewportSize({ width: 1280, height: 720 });

    // Larger text persists on this device.
    await page.getByRole('button', { name: '文字を大きくする' }).click();
    expect(await page.evaluate(() => [localStorage.getItem('kazashi.largeText'), document.documentElement.style.fontSize])).toEqual(['1', '125%']);
    await page.getByRole('button', { name: '文字を大きくする' }).click();

    await page.getByRole('button', { name: 'ログアウト', exact: true }).click();
    await page.waitForURL(`${server.baseUrl}/my/login`);
    await page.getByText('ログアウトしました。').waitFor();
  });
});

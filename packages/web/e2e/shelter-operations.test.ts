// Done-when 1 of issue 5 (evacuation shelter operations), in Chromium against the built server: HQ
// declares a disaster and opens a shelter; at the shelter's kiosk a pre-registered resident checks in
// by card touch (pcscd + vpcd + the card agent), a walk-in is registered from the card's basic four, a
// resident of the partner municipality checks in; the HQ dashboard, never reloaded, counts them live;
// a family member finds the consenting resident through the safety search and not a DV-protected one.
// The vpcd reader is the kiosk suite's own (see resident-kiosk.test.ts for why it exists).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PcscReaders } from '@kazashi/jpki';
import { connectToVpcd, ensurePcscd, lockPcsc, openPcscReaders, TestCa, VirtualMyNumberCard, type VpcdLink } from '@kazashi/jpki/virtual';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser';
import { freePort, repoRoot, startDemoServer, totpCode, type DemoServer } from './support/server';
import { certificateOf, registerResident, residentApi, staffApi } from './support/shelterOpsApi';
import { demoSecret, fillStaffLogin } from './support/staff';

const AGENT_CLI = path.join(repoRoot, 'packages/card-agent/dist/cli.js');
const YABU = '282227';
const ASAGO = '282251';
const PINS = { auth: '2468', sign: 'KAZASHI1', cardInfo: '1357' };

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


const A = { name: '養父 安子', address: '兵庫県養父市八鹿町八鹿1675', birthDate: '1958-03-21', sex: 'female' as const };
const D = { name: '養父 保子', address: '兵庫県養父市広谷250番地の1', birthDate: '1990-11-02', sex: 'female' as const };
const F = { name: '養父 家族', address: '兵庫県養父市八鹿町八鹿1675', birthDate: '1985-05-05', sex: 'male' as const };
const B = { name: '朝来 文雄', address: '兵庫県朝来市和田山町東谷105', birthDate: '1949-08-30', sex: 'male' as const };
const W = { name: '旅行 通男', address: '京都府京都市下京区烏丸通1', birthDate: '1979-01-15', sex: 'male' as const };

let server: DemoServer;
let dataDir: string;
let browser: Browser;
let agent: ChildProcess;
let agentOut = '';
let agentPort: number;
let readers: PcscReaders;
let link: VpcdLink | undefined;
const cards = {} as Record<'A' | 'D' | 'F' | 'B' | 'W', VirtualMyNumberCard>;
const agentToken = crypto.randomBytes(18).toString('base64url');

async function insertCard(card: VirtualMyNumberCard): Promise<void> {
  link = await connectToVpcd({ card, port: KIOSK_PORT });
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
  releasePcsc = await lockPcsc({ holder: 'shelter-operations.test.ts', log: console.log });
  await kioskReaderReady();
  readers = await openPcscReaders();
  const ca = await TestCa.create();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kazashi-shelter-ops-e2e-'));
  fs.mkdirSync(path.join(dataDir, 'keys'), { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(dataDir, 'keys', 'test-ca.json'), await ca.export(), { mode: 0o600 });
  for (const [k, holder] of Object.entries({ A, D, F, B, W })) {
    cards[k as keyof typeof cards] = await VirtualMyNumberCard.issue(ca, { ...holder, authPin: PINS.auth, signPin: PINS.sign, cardInfoPin: PINS.cardInfo });
  }
  server = await startDemoServer({ KAZASHI_DATA_DIR: dataDir });
  agentPort = await freePort();
  agent = spawn(process.execPath, [AGENT_CLI, '--origin', server.baseUrl, '--port', String(agentPort), `--token=${agentToken}`, '--extended-length', 'on'], { stdio: ['ignore', 'pipe', 'pipe'] });
  agent.stdout!.on('data', (d: Buffer) => { agentOut += d; });
  agent.stderr!.on('data', (d: Buffer) => { agentOut += d; });
  for (let i = 0; !agentOut.includes('listening') && i < 100; i++) await sleep(100);
  expect(agentOut, agentOut).toContain('card agent listening');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  agent?.kill();
  await removeCard().catch(() => {});
  await readers?.close();
  await server?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

async function newPage(ctx: BrowserContext): Promise<Page> {
  const page = await ctx.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

describe('shelter operations: HQ, kiosk check-ins by card, live counts, safety search', () => {
  it('opens a shelter, checks three people in by card, counts them live, and answers the safety search', async () => {
    // ── Setup through the API: residents with cards, pre-registrations, touch-only check-in.
    const yabuAdmin = await staffApi(server, 'yabu.admin');
    const asagoAdmin = await staffApi(server, 'asago.admin');
    await yabuAdmin('PUT', `/api/municipalities/${YABU}/touch-only-flows`, { flows: ['shelter-check-in'] });
    for (const k of ['A', 'D', 'F'] as const) await registerResident(yabuAdmin, YABU, cards[k], PINS, [ASAGO]);
    await registerResident(asagoAdmin, ASAGO, cards.B, PINS, [YABU]);

    const member = (h: typeof A) => ({
      self: true, nameKanji: h.name, nameKana: '', birthDate: h.birthDate, sex: h.sex,
      allergies: '', medication: '', care: '', disability: '', pregnancy: false, infant: false, language: 'ja', notes: '',
    });
    for (const [k, h] of [['A', A], ['D', D]] as const) {
      const r = await residentApi(server.baseUrl, YABU, cards[k], PINS.auth);
      await r.call('PUT', '/api/resident/me/shelter-registration', { phone: '079-000-0000', pets: '', consentInquiry: true, consentJointUse: true, members: [member(h)] });
    }

    const shelters = await yabuAdmin<{ id: string; nameJa: string; status: string }[]>('GET', `/api/municipalities/${YABU}/shelters`);
    const target = shelters.find((s) => s.status === 'closed')!;
    expect(target, 'a closed demo shelter of Yabu').toBeDefined();

    // ── HQ opens the shelter on /hq; the page stays open (never reloaded) to the end.
    const hqContext = await browser.newContext({ baseURL: server.baseUrl, locale: 'ja-JP' });
    const hq = await newPage(hqContext);
    await hq.goto('/staff/login');
    await fillStaffLogin(hq, { loginName: 'yabu.hq', password: server.password, totp: totpCode(demoSecret(server, 'yabu.hq')) });
    await hq.getByRole('button', { name: 'ログイン', exact: true }).click();
    await hq.waitForURL((u) => !u.pathname.startsWith('/staff/login'));
    await hq.goto('/hq');
    await hq.getByRole('heading', { level: 1, name: '災害対策本部' }).waitFor();
    await hq.locator('#hq-disaster-name-ja').fill('e2e 令和8年11月 大雨');
    await hq.getByRole('button', { name: '宣言する', exact: true }).click();
    await hq.getByText('「e2e 令和8年11月 大雨」を宣言しました。').waitFor();
    await hq.locator('#hq-open-shelter').selectOption(target.id);
    await hq.locator('#hq-open-status').selectOption('open');
    await hq.getByRole('button', { name: '開設する', exact: true }).click();
    const present = hq.getByTestId('hq-shelter-table').locator(`[data-shelter-id="${target.id}"]`).getByTestId(`present-${target.id}`);
    await expect.poll(() => present.textContent(), { timeout: 20_000 }).toBe('0');
    await expect.poll(() => hq.getByTestId('hq-live-state').getAttribute('data-state'), { timeout: 20_000 }).toBe('live');
    // A marker a reload would wipe.
    await hq.evaluate(() => { (window as unknown as { notReloaded: boolean }).notReloaded = true; });

    // ── The kiosk at the shelter's door, paired with the card agent, logged in by shelter staff.
    const kioskContext = await browser.newContext({ baseURL: server.baseUrl, locale: 'ja-JP' });
    const kiosk = await newPage(kioskContext);
    const query = new URLSearchParams({ agentPort: String(agentPort), agentToken, agentReader: KIOSK_READER });
    await kiosk.goto(`/shelter/kiosk?${query}`);
    await fillStaffLogin(kiosk, { loginName: 'yabu.shelter', password: server.password, totp: totpCode(demoSecret(server, 'yabu.shelter')) });
    await kiosk.getByRole('button', { name: 'ログイン', exact: true }).click();
    await kiosk.getByLabel('避難所', { exact: true }).selectOption(target.id);
    await kiosk.getByRole('button', { name: 'この避難所で受付を始める' }).click();

    // 1. Pre-registered resident A: touch (no PIN: touch-only flow), household shown, check in.
    await insertCard(cards.A);
    await kiosk.getByRole('button', { name: 'カードを読み取る' }).click();
    await kiosk.getByRole('heading', { name: '世帯の方を確認してください' }).waitFor();
    await kiosk.getByText(A.name, { exact: true }).waitFor();
    await kiosk.getByRole('button', { name: 'まとめて受付する（1人）' }).click();
    await kiosk.getByText(`${A.name} を受け付けました（1人）。`).waitFor();
    await expect.poll(() => present.textContent(), { timeout: 20_000 }).toBe('1');
    await removeCard();

    // 2. A walk-in stranger: the card's basic four with the 券面事項入力補助 PIN, then checked in.
    await kiosk.getByRole('button', { name: 'カードで新規受付' }).click();
    await insertCard(cards.W);
    await kiosk.getByLabel('券面事項入力補助用の暗証番号（数字4桁）').fill(PINS.cardInfo);
    await kiosk.getByRole('button', { name: '読み取る', exact: true }).click();
    await kiosk.getByText(W.name, { exact: true }).waitFor();
    await kiosk.getByText(W.address, { exact: true }).waitFor();
    await kiosk.getByRole('form', { name: '職員による入力' }).getByRole('button', { name: '受け付ける', exact: true }).click();
    await kiosk.getByText(`${W.name} を受け付けました（1人）。`).waitFor();
    await expect.poll(() => present.textContent(), { timeout: 20_000 }).toBe('2');
    await removeCard();

    // 3. A resident of Asago (joint use) checks in at Yabu's shelter.
    await kiosk.getByRole('button', { name: 'カードをかざす（事前登録あり）' }).click();
    await insertCard(cards.B);
    await kiosk.getByRole('button', { name: 'カードを読み取る' }).click();
    await kiosk.getByRole('heading', { name: '世帯の方を確認してください' }).waitFor();
    await kiosk.getByRole('button', { name: 'まとめて受付する（1人）' }).click();
    await kiosk.getByText(/を受け付けました（1人）。$/).waitFor().catch(async (e: unknown) => {
      throw new Error(`B's check-in did not go through; the kiosk shows:\n${await kiosk.locator('main').innerText().catch(() => '?')}\n${server.output().slice(-2000)}`, { cause: e });
    });
    await expect.poll(() => present.textContent(), { timeout: 20_000 }).toBe('3');
    await removeCard();

    // The roster agrees: A, the walk-in and B, each in.
    const roster = await yabuAdmin<{ evacueeMunicipalityCode?: string; municipalityCode: string; nameKanji: string | null; stay: { status: string } }[]>(
      'GET', `/api/municipalities/${YABU}/shelters/${target.id}/roster?status=in`);
    expect(roster.map((r) => r.municipalityCode).sort()).toEqual([YABU, YABU, ASAGO].sort());
    expect(roster.map((r) => r.nameKanji)).toEqual(expect.arrayContaining([A.name, W.name]));

    // ── D (pre-registered, consenting) checks in too, then HQ marks them DV-protected.
    const touchD = await yabuAdmin<{ household: { evacueeId: string }[] }>('POST', `/api/municipalities/${YABU}/shelters/${target.id}/touch`, { certificate: await certificateOf(cards.D, PINS.auth) });
    const dId = touchD.household[0]!.evacueeId;
    await yabuAdmin('POST', `/api/municipalities/${YABU}/shelters/${target.id}/stays`, { idempotencyKey: crypto.randomUUID(), evacueeIds: [dId], channel: 'card-touch' });
    await expect.poll(() => present.textContent(), { timeout: 20_000 }).toBe('4');
    const family = await residentApi(server.baseUrl, YABU, cards.F, PINS.auth);
    // Before the flag D is found (so the "none" below is the flag's doing, not a miss).
    const before = await family.call<{ found: unknown[] }>('POST', '/api/resident/me/safety-search', { name: D.name, birthDate: D.birthDate });
    expect(before.found).toHaveLength(1);
    await yabuAdmin('PATCH', `/api/municipalities/${YABU}/evacuees/${dId}`, { dvProtected: true });

    // The HQ page was never reloaded.
    expect(await hq.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

    // ── The family member on /my/shelter: A found at the shelter, D not (neutral answer).
    const myContext = await browser.newContext({ baseURL: server.baseUrl, locale: 'ja-JP' });
    await myContext.addCookies([{ name: 'kazashi_resident', value: family.cookie, url: server.baseUrl }]);
    const my = await newPage(myContext);
    await my.goto('/my/shelter');
    await my.getByRole('heading', { level: 1 }).first().waitFor();
    const result = my.getByTestId('safety-search-result');
    const search = async (name: string, birthDate: string) => {
      await my.locator('#search-name').fill(name);
      await my.locator('#search-birthDate').fill(birthDate);
      await my.getByTestId('safety-search-submit').click();
      await my.getByTestId('safety-search-result').getByText(`${name}`, { exact: false }).waitFor();
    };
    await search(A.name, A.birthDate);
    await expect.poll(() => result.getAttribute('data-state')).toBe('found');
    expect(await result.textContent()).toContain(target.nameJa);
    await search(D.name, D.birthDate);
    await expect.poll(() => result.getAttribute('data-state')).toBe('none');
    expect(await result.textContent()).toContain('情報はありません');
    expect(await result.textContent()).not.toContain(target.nameJa);

    await Promise.all([hqContext.close(), kioskContext.close(), myContext.close()]);
  });
});

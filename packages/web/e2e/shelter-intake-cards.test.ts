// Blank QR intake cards (受付カード), in Chromium against the built server: shelter staff print a sheet
// of cards before a disaster; at the kiosk a new card's code is read, the person entered once, and
// checked in; from then on the card checks its holder in as a QR (here: at a second shelter after
// check-out), and a second person written on the same card is refused with a clear message.
import crypto from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoBrowserSuite, expectNoSeriousAxeViolations } from './support/browser';
import { staffApi } from './support/shelterOpsApi';
import { staffLogin } from './support/staff';

const YABU = '282227';
const suite = demoBrowserSuite();

/** On the kiosk's shelter choice: start receiving at this shelter, in the QR / intake card mode. */
async function startKioskAt(page: Page, shelterId: string) {
  await page.getByLabel('避難所', { exact: true }).selectOption(shelterId);
  await page.getByRole('button', { name: 'この避難所で受付を始める' }).click();
  await page.getByRole('button', { name: 'QRコード・受付カード' }).click();
}

/** Reads a card's code at the kiosk (typed, as a reader would), as a new card or an already used one. */
async function readAtKiosk(page: Page, kind: 'new' | 'used', code: string) {
  await page.getByLabel(kind === 'new' ? '新しい受付カード（まだ使っていないもの）' : '個人のQRコード・使用済みの受付カード').check();
  await page.getByLabel('QRコードの内容（読取機で入力）').fill(code);
  await page.getByRole('button', { name: '受け付ける' }).click();
}

describe('shelter intake cards', () => {
  it('prints distinct cards; a new card is entered once at the kiosk, then checks its holder in as a QR', async () => {
    const { server } = suite;
    const admin = await staffApi(server, 'yabu.admin');
    const shelters = await admin<{ id: string; nameJa: string }[]>('GET', `/api/municipalities/${YABU}/shelters`);
    const [first, second] = shelters;
    const disaster = await admin<{ id: string }>('POST', `/api/municipalities/${YABU}/disasters`, { kind: 'earthquake', nameJa: 'e2e 地震' });
    for (const s of [first!, second!]) await admin('PUT', `/api/municipalities/${YABU}/shelters/${s.id}/status`, { status: 'open', disasterId: disaster.id });

    // ── Before the disaster: a sheet of eight cards.
    const page = await suite.newPage();
    await staffLogin(page, server, 'yabu.shelter');
    await page.goto('/shelter');
    await page.getByRole('link', { name: '受付カード（白紙）を印刷' }).click();
    await page.getByRole('heading', { level: 1, name: '受付カード（白紙）の印刷' }).waitFor();
    await page.getByLabel(/枚数/).fill('8');
    await page.getByRole('button', { name: 'カードを作成' }).click();
    await page.getByRole('status').filter({ hasText: '受付カードを8枚作成しました' }).waitFor();
    const preview = page.getByRole('list', { name: '作成した受付カード' });
    const codes = await preview.locator('[data-intake-code]').evaluateAll((els) => els.map((e) => e.getAttribute('data-intake-code')!));
    expect(codes).toHaveLength(8);
    expect(new Set(codes).size).toBe(8);
    for (const c of codes) expect(c).toMatch(/^KZI-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    // Each card carries its code as a QR image and in letters.
    await expect.poll(() => preview.getByRole('img', { name: `受付カード ${codes[0]} のQRコード` }).count()).toBe(1);
    await expect.poll(() => preview.locator('[data-intake-code] img').count()).toBe(8);
    await expectNoSeriousAxeViolations(page);
    const card = codes[0]!;

    // ── At the shelter: the new card is read, the person entered once.
    await page.goto('/shelter/kiosk');
    await startKioskAt(page, first!.id);
    await readAtKiosk(page, 'new', card);
    await page.getByText(`受付カード番号: ${card}`).waitFor();
    const name = `受付 花子${crypto.randomUUID().slice(0, 4)}`;
    await page.getByLabel('氏名', { exact: true }).fill(name);
    await page.getByLabel('氏名', { exact: true }).press('Enter');
    await page.getByRole('status').filter({ hasText: `${name} を受け付けました（1人）。` }).waitFor();

    const roster = await admin<{ nameKanji: string | null; evacueeId: string; stay: { stayId: string; channel: string } }[]>(
      'GET', `/api/municipalities/${YABU}/shelters/${first!.id}/roster?status=all`);
    const entered = roster.find((r) => r.nameKanji === name);
    expect(entered?.stay.channel).toBe('qr');

    // ── The person leaves; at the second shelter the same card is read as a used card: the same person.
    await admin('POST', `/api/municipalities/${YABU}/stays/${entered!.stay.stayId}/movements`, { idempotencyKey: crypto.randomUUID(), kind: 'check-out' });
    await page.getByRole('button', { name: '避難所を変更' }).click();
    await startKioskAt(page, second!.id);
    await readAtKiosk(page, 'used', card);
    await page.getByRole('status').filter({ hasText: 'を受け付けました（1人）。' }).waitFor();
    const there = await admin<{ evacueeId: string }[]>('GET', `/api/municipalities/${YABU}/shelters/${second!.id}/roster`);
    expect(there.map((r) => r.evacueeId)).toContain(entered!.evacueeId);

    // ── A second person written on the same card: refused, with what to do instead.
    await readAtKiosk(page, 'new', card);
    await page.getByLabel('氏名', { exact: true }).fill('別人 次郎');
    await page.getByLabel('氏名', { exact: true }).press('Enter');
    await page.getByText('この受付カードは使用済みです。').first().waitFor();
  });

  it("prints the shelter's poster for people outside it: its QR leads to the outside-stay report, through the login", async () => {
    const { server } = suite;
    const page = await suite.newPage();
    await staffLogin(page, server, 'yabu.hq');
    await page.goto('/shelter');
    // (Each demo account logs in once per TOTP step: the first shelter in the list, chosen in the page.)
    const select = page.getByLabel('避難所', { exact: true });
    await select.selectOption({ index: 1 });
    const shelterName = (await select.locator('option:checked').textContent())!.split(' — ')[0]!;
    await page.getByRole('link', { name: '屋外避難者向けの掲示用QRを印刷' }).click();
    const poster = page.getByTestId('outside-poster');
    await poster.getByRole('heading', { name: '避難所の外に避難している方へ' }).waitFor();
    await poster.getByText(`掲示場所: ${shelterName}`).waitFor();
    const url = `${server.baseUrl}/my/shelter#outside`;
    expect(await page.getByTestId('outside-poster-url').textContent()).toBe(url);
    await poster.getByRole('img', { name: '避難所外の避難を登録するページのQRコード' }).waitFor();
    await expectNoSeriousAxeViolations(page);

    // Scanned on a phone without a resident session: to the card login, and back to the report afterwards.
    const phone = await suite.newPage({ viewport: { width: 390, height: 844 } });
    await phone.goto(url);
    await phone.waitForURL((u) => u.pathname === '/my/login');
    expect(new URL(phone.url()).searchParams.get('return')).toBe('/my/shelter#outside');
  });
});

// The HQ dashboard of a large disaster, in Chromium against the built server: with more than 100 open
// shelters the shelter table is windowed (only the rows on screen exist, so 1,000 shelters draw in
// well under a second), yet it tells assistive technology its full size, reaches its last row by
// scrolling, takes a map click to a row far down the list and focuses it, and counts a check-in at an
// off-screen shelter live. bench:dashboard measures the same table at 1,000 shelters.
import crypto from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoBrowserSuite, expectNoSeriousAxeViolations } from './support/browser';
import { staffApi } from './support/shelterOpsApi';
import { staffLogin } from './support/staff';

const YABU = '282227';
const SHELTERS = 150;
const suite = demoBrowserSuite();

const rowsIn = (page: Page) => page.getByTestId('hq-shelter-table').locator('[data-shelter-id]');

describe('HQ dashboard with many shelters', () => {
  it('windows the shelter table, yet reaches every row, jumps to a map selection and counts live', async () => {
    const { server } = suite;
    // Setup through the API as the municipal admin (also allowed to command shelters); yabu.hq logs in
    // once, in the browser (a TOTP code is accepted once per account and time step).
    const admin = await staffApi(server, 'yabu.admin');
    const shelter = await staffApi(server, 'yabu.shelter');
    const disaster = await admin<{ id: string }>('POST', `/api/municipalities/${YABU}/disasters`, { kind: 'flood', nameJa: 'e2e 大規模災害' });
    const tag = crypto.randomUUID().slice(0, 6);
    const ids: string[] = [];
    for (let i = 0; i < SHELTERS; i++) {
      // Names sort in creation order (zero-padded), so the last created is the last row by name.
      const s = await admin<{ id: string }>('POST', `/api/municipalities/${YABU}/shelters`, {
        localId: `e2e-${tag}-${String(i).padStart(3, '0')}`, nameJa: `e2e避難所${String(i).padStart(3, '0')}`, nameEn: `E2E shelter ${String(i).padStart(3, '0')}`,
        capacity: 100, latitude: (35.30 + (i % 15) * 0.01).toFixed(4), longitude: (134.70 + Math.floor(i / 15) * 0.01).toFixed(4),
      });
      await admin('PUT', `/api/municipalities/${YABU}/shelters/${s.id}/status`, { status: 'open', disasterId: disaster.id });
      ids.push(s.id);
    }
    const last = ids[SHELTERS - 1]!;

    const page = await suite.newPage({ viewport: { width: 1400, height: 900 } });
    await staffLogin(page, server, 'yabu.hq');
    await page.goto('/hq');
    const table = page.getByTestId('hq-shelter-table');
    // The demo's own shelters are not open: exactly ours, plus the header row.
    await expect.poll(() => table.getAttribute('aria-rowcount'), { timeout: 20_000 }).toBe(String(SHELTERS + 1));
    await expect.poll(() => rowsIn(page).count()).toBeGreaterThan(0);
    expect(await rowsIn(page).count()).toBeLessThan(SHELTERS / 2);
    await expect.poll(() => page.getByTestId('hq-live-state').getAttribute('data-state'), { timeout: 20_000 }).toBe('live');
    await expectNoSeriousAxeViolations(page);

    // Scrolling to the end draws the last row, with its place in the whole table.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const lastRow = table.locator(`[data-shelter-id="${last}"]`);
    await lastRow.waitFor();
    expect(await lastRow.getAttribute('aria-rowindex')).toBe(String(SHELTERS + 1));

    // Back at the top, the last shelter's row is gone from the DOM; a click on its map point brings it
    // back, scrolled into view and focused.
    await page.evaluate(() => window.scrollTo(0, 0));
    await expect.poll(() => lastRow.count()).toBe(0);
    await page.locator(`[data-map-shelter-id="${last}"]`).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-shelter-id'))).toBe(last);
    expect(await lastRow.isVisible()).toBe(true);

    // A check-in at a shelter whose row is off screen: the count is there when it is scrolled to.
    const first = ids[0]!;
    await shelter('POST', `/api/municipalities/${YABU}/shelters/${first}/stays`, {
      idempotencyKey: crypto.randomUUID(), walkIn: { source: 'staff-entry', nameKanji: '大規模 試験' },
    });
    await page.evaluate(() => window.scrollTo(0, 0));
    await expect.poll(() => table.locator(`[data-shelter-id="${first}"]`).getByTestId(`present-${first}`).textContent(), { timeout: 20_000 }).toBe('1');

    // Filtered down to at most 100, every matching row is in the DOM again (no window).
    await page.locator('#hq-filter-text').fill('e2e避難所00');
    await expect.poll(() => rowsIn(page).count()).toBe(10);
    expect(await table.getAttribute('aria-rowcount')).toBeNull();
  });
});

// Sideways overflow at narrow widths (360 px): the same measurement as staff-admin.test.ts makes,
// shared for the resident screens' suite.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Fails when the document scrolls sideways, or when a visible element or run of text ends right
 * of the viewport outside an element that scrolls horizontally itself.
 */
export async function expectNoSidewaysOverflow(page: Page, width: number): Promise<void> {
  const { scrollWidth, clientWidth, offenders } = await page.evaluate(() => {
    const limit = document.documentElement.clientWidth;
    const scrollsSideways = (el: Element) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
    const insideScroller = (node: Node) => {
      for (let a = node.parentElement; a; a = a.parentElement) if (scrollsSideways(a)) return true;
      return false;
    };
    const describe = (el: Element, right: number, what = '') =>
      `${what}<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}> right=${Math.round(right)} "${(el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40)}"`;
    const found: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || r.right <= limit + 0.5) continue;
      if (!insideScroller(el)) found.push(describe(el, r.right));
    }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const parent = n.parentElement;
      if (!parent || !n.textContent?.trim() || !parent.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
      range.selectNodeContents(n);
      const r = range.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || r.right <= limit + 0.5) continue;
      if (!insideScroller(n)) found.push(describe(parent, r.right, 'text in '));
    }
    return { scrollWidth: document.documentElement.scrollWidth, clientWidth: limit, offenders: found };
  });
  const where = new URL(page.url()).pathname;
  expect(clientWidth, where).toBe(width);
  expect(offenders, `${where}: boxes past x=${width}`).toEqual([]);
  expect(scrollWidth, `${where}: document scroll width`).toBeLessThanOrEqual(width);
}

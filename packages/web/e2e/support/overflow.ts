// Sideways overflow at narrow widths (360 px), as the browser suites measure it.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export interface Overflow {
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
export async function sidewaysOverflow(page: Page): Promise<Overflow> {
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

/**
 * Fails when the viewport is not `width` wide, when the document scrolls sideways, or when a visible
 * element or run of text ends right of the viewport outside an element that scrolls horizontally itself.
 */
export async function expectNoSidewaysOverflow(page: Page, width: number): Promise<void> {
  const { scrollWidth, clientWidth, offenders } = await sidewaysOverflow(page);
  const where = new URL(page.url()).pathname;
  expect(clientWidth, where).toBe(width);
  expect(offenders, `${where}: boxes past x=${width}`).toEqual([]);
  expect(scrollWidth, `${where}: document scroll width`).toBeLessThanOrEqual(width);
}

// Chromium for the browser suites (playwright-core, headless), a suite's demo server + browser with
// a fresh context per page, and the axe-core check several suites make.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { startDemoServer, type DemoServer } from './server';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let axeCode: string | undefined;
const axeSource = () => (axeCode ??= fs.readFileSync(AXE_PATH, 'utf8'));

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Headless Chromium (CHROMIUM_PATH, default /usr/bin/chromium); `extraArgs` after the usual flags. */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

export type ContextOptions = NonNullable<Parameters<Browser['newContext']>[0]>;

export interface DemoBrowserSuite {
  /** The demo server (started in beforeAll). */
  readonly server: DemoServer;
  /** The suite's Chromium (launched in beforeAll). */
  readonly browser: Browser;
  /** A page in a context of its own (cookies, localStorage; ja-JP, the server as base URL), closed after the test. */
  newPage(options?: ContextOptions): Promise<Page>;
}

/**
 * Registers the suite's hooks: a demo server and Chromium before all tests, each test's contexts
 * closed after it, browser and server stopped after all. Call at the top level of a test file.
 */
export function demoBrowserSuite(): DemoBrowserSuite {
  let server: DemoServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchChromium();
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the ${what} is not started yet (beforeAll has not run or failed)`);
    return value;
  };

  return {
    get server() {
      return started(server, 'demo server');
    },
    get browser() {
      return started(browser, 'browser');
    },
    async newPage(options: ContextOptions = {}): Promise<Page> {
      const context = await started(browser, 'browser').newContext({ baseURL: started(server, 'demo server').baseUrl, locale: 'ja-JP', ...options });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      return page;
    },
  };
}

/**
 * Runs axe-core on the page as it is and fails on critical or serious violations (every violation
 * found is logged, with the page's path).
 */
export async function expectNoSeriousAxeViolations(page: Page): Promise<void> {
  // Evaluated, not added as a <script>: the page's Content-Security-Policy admits no inline script.
  await page.evaluate(axeSource());
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
  const where = new URL(page.url()).pathname;
  expect(passes, `${where}: axe really ran`).toBeGreaterThan(0);
  if (violations.length) console.log(`axe violations on ${where}:\n${JSON.stringify(violations, null, 2)}`);
  expect(violations.filter((v) => v.impact === 'critical' || v.impact === 'serious'), `${where}: serious axe violations`).toEqual([]);
}

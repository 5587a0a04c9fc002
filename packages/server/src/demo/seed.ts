// The demo: every module seeds its part, in the order of src/modules.ts (municipalities, then their
// staff, residents, shelters …), sharing what they made through the demo facts and adding their
// lines to the start-up banner.
import type { AnyModule, DemoState } from '../kernel/module.js';
import { modules } from '../modules.js';
import type { Platform } from '../platform/container.js';

export class DemoRefusedError extends Error {
  constructor() {
    super('Demo data is never seeded when NODE_ENV=production.');
  }
}

/** True when no module holds data yet (a first start). */
export async function isEmpty(platform: Platform): Promise<boolean> {
  for (const m of modules as readonly AnyModule[]) {
    if (m.hasData && (await m.hasData(platform.built.services.get(m)!))) return false;
  }
  return true;
}

/**
 * Seeds the demo (never in production). `scenario`: also a situation under way (the demo disaster),
 * as a first `npm start` shows; tests seed the standing data only.
 */
export async function seedDemo(platform: Platform, opts: { scenario?: boolean; baseUrl?: string } = {}): Promise<DemoState> {
  if (platform.config.production) throw new DemoRefusedError();
  const demo: DemoState = { scenario: opts.scenario ?? false, baseUrl: opts.baseUrl ?? platform.config.publicUrl, facts: new Map(), banner: [] };
  const { built } = platform;
  for (const m of modules as readonly AnyModule[]) {
    if (!m.seed) continue;
    await m.seed({ ...built.kit(m), services: built.services.get(m)!, demo });
  }
  return demo;
}

/** The start-up banner of a first start: what each module's seed said. */
export function formatDemoBanner(demo: DemoState): string {
  return ['', '──────── Kazashi demo (デモ) ────────', ...demo.banner, '─────────────────────────────────────', ''].join('\n');
}

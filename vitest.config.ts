import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// Files known to take long, in seconds on 2 cores (a fresh machine has no timings yet): started first,
// so the run does not end with one long file alone. Later runs use the timings vitest recorded.
const SLOW: Record<string, number> = {
  'packages/web/e2e/shelter-offline.test.ts': 80,
  'packages/server/src/vault/vault.test.ts': 75,
  'packages/server/src/virtualCards/card.test.ts': 70,
  'packages/server/src/platform/outage.test.ts': 45,
  'packages/server/src/audit/audit.test.ts': 45,
  'packages/server/src/registration/registration.test.ts': 40,
  'packages/server/src/identity/verify.test.ts': 35,
  'packages/web/e2e/counter.test.ts': 27,
  'packages/web/e2e/shelter-operations.test.ts': 27,
  'packages/web/e2e/resident-kiosk.test.ts': 26,
  'packages/server/src/oidc/oidc.test.ts': 27,
  'packages/server/src/platform/workers.test.ts': 26,
};

/** Longest first across every package (vitest's own order runs the packages one after another). */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const estimate = (f: TestSpecification) => {
      const rel = path.relative(root, f.moduleId);
      const recorded = this.ctx.cache.getFileTestResults(`${f.project.name}:${rel}`);
      if (recorded?.failed) return Number.MAX_SAFE_INTEGER; // failed last time: first, as vitest does
      if (recorded) return recorded.duration;
      return (SLOW[rel] ?? 0) * 1000 + (this.ctx.cache.getFileStats(`${f.project.name}:${rel}`)?.size ?? 0) / 100;
    };
    return [...files].sort((a, b) => estimate(b) - estimate(a));
  }
}

// One run over every package's own suite (each package has its vitest.config.ts), in one pool: the
// browser suites run beside the server's. Most files wait on the database, a child process or the
// browser, so three at a time keep two cores busy; suites on the machine's PC/SC stack take turns
// (`lockPcsc`, @kazashi/jpki/virtual).
export default defineConfig({
  // Timings outlive a fresh clone (node_modules/.vite would not): the order above uses them.
  cacheDir: path.join(os.tmpdir(), 'kazashi-vitest-cache'),
  test: {
    maxWorkers: 3,
    sequence: { sequencer: LongestFirst },
    projects: ['packages/shared', 'packages/jpki', 'packages/card-agent', 'packages/server', 'packages/web'],
  },
});

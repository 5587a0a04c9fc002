import { defineConfig } from 'vitest/config';

// One run over every package's own suite (each package has its vitest.config.ts).
export default defineConfig({
  test: {
    // Two cores: more workers only make the database and browser suites fight for them.
    maxWorkers: 2,
    projects: ['packages/shared', 'packages/jpki', 'packages/card-agent', 'packages/server', 'packages/web'],
  },
});

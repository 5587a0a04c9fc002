import { defineConfig } from 'vitest/config';

// One run over every package's own suite (each package has its vitest.config.ts).
export default defineConfig({
  test: {
    projects: ['packages/jpki', 'packages/card-agent', 'packages/server', 'packages/web'],
  },
});

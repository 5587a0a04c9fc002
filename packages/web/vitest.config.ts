import { defineConfig } from 'vitest/config';

// Browser end-to-end tests: the real server (packages/server/dist) driven through Chromium.
// `npm test` builds web and server before vitest runs.
export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});

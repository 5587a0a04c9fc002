import { defineConfig } from 'vitest/config';

// Browser end-to-end tests: the real server (packages/server/dist) driven through Chromium. Each file
// starts its own server (own data directory, own port) and browser, so files run side by side; the
// two on the kiosk's PC/SC reader take turns (lockPcsc). `npm test` builds web and server first.
export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});

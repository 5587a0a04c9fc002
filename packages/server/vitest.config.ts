import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Files share their worker's modules (fastify, drizzle, PGlite's wasm and its cached template
    // databases are loaded once per worker, not once per file: a third of the suite's CPU). This holds
    // because no test mocks a module or patches a global, and every file closes what it opens.
    isolate: false,
  },
});

import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  // Every module's tables (a module's schema.ts; shelter's features have their own).
  schema: ['./src/*/schema.ts', './src/*/*/schema.ts'],
  out: './drizzle',
});

import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from './config.js';
import { formatDemoBanner, isEmpty, seedDemo } from './demo/seed.js';
import { buildApp } from './platform/app.js';
import { pgErrorCode, whileDatabaseUnavailable } from './kernel/db/errors.js';
import { createPlatform, type Platform } from './platform/container.js';

/** Migrate, seed the demo on first run (never in production), and serve. */
export async function startServer(config: Config = loadConfig()): Promise<{ app: FastifyInstance; platform: Platform; url: string }> {
  const started = Date.now();
  // Started (or replaced) during an outage: wait for the database rather than exit.
  const platform = await whileDatabaseUnavailable(() => createPlatform(config), (e, ms) => {
    const reason = pgErrorCode(e) ?? (e instanceof Error ? e.message : String(e));
    process.stderr.write(`kazashi: the database cannot be reached (${reason}); trying again in ${Math.round(ms / 100) / 10} s\n`);
  });
  const app = await buildApp(platform);
  const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
  const url = `http://${host}:${config.port}`;
  if (config.seedDemo && !config.production && (await isEmpty(platform))) {
    process.stdout.write(formatDemoBanner(await seedDemo(platform, { scenario: config.demoDisaster, baseUrl: url })));
  }
  app.addHook('onClose', async () => platform.close());
  await app.listen({ port: config.port, host: config.host });
  app.log.info({ ms: Date.now() - started, engine: platform.db.engine }, `Kazashi ready at ${url}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => { void app.close().then(() => process.exit(0)); });
  }
  return { app, platform, url };
}

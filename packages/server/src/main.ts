import cluster from 'node:cluster';
import { loadConfig } from './config.js';
import { ConfigError } from './kernel/env.js';
import { runWorkers } from './platform/workers.js';
import { startServer } from './server.js';

function fail(err: unknown): never {
  // A configuration problem is the operator's to fix: say what, without a stack trace.
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}

let config;
try {
  config = loadConfig();
} catch (err) {
  fail(err);
}
if (cluster.isPrimary && config.workers > 1) runWorkers(config.workers).catch(fail);
else startServer(config).catch(fail);

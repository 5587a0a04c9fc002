import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { Database } from '../kernel/db/engine.js';
import { databaseUnavailable } from '../kernel/http/problem.js';
import { registerCspReports } from '../kernel/http/security.js';

/** Liveness, readiness and Prometheus metrics. */
export function platformRoutes(app: FastifyInstance, deps: { db: Database }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'kazashi_' });
  const duration = new Histogram({
    name: 'kazashi_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  registerCspReports(app, registry);
  app.addHook('onResponse', async (req, reply) => {
    duration.observe({ method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  const tags = ['platform'];
  const status = (extra: Record<string, unknown> = {}) => ({ type: 'object', properties: { status: { type: 'string' }, ...extra } });
  app.get('/healthz', { logLevel: 'warn', schema: { tags, summary: 'Liveness', response: { 200: status() } } }, async () => ({ status: 'ok' }));
  app.get('/readyz', {
    logLevel: 'warn',
    schema: {
      tags, summary: 'Readiness: the platform database answers (and, on PostgreSQL, the live-update listener is connected); 503 database-unavailable otherwise',
      response: { 200: status({ database: { type: 'string', enum: ['pglite', 'postgres'] } }) },
    },
  }, async () => {
    try {
      await deps.db.ping();
    } catch (cause) {
      throw databaseUnavailable(cause);
    }
    return { status: 'ready', database: deps.db.engine };
  });
  app.get('/metrics', {
    logLevel: 'warn',
    schema: { tags, summary: 'Prometheus metrics', produces: ['text/plain'], response: { 200: { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } } } },
  }, async (_req, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()));
}

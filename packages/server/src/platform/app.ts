import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type preHandlerAsyncHookHandler } from 'fastify';
import { HttpErrors } from '../kernel/errors.js';
import { SESSION_COOKIE } from '../kernel/http/auth.js';
import type { AnyModule, KernelPorts } from '../kernel/module.js';
import { RESIDENT_COOKIE } from '../kernel/residentCaller.js';
import { modules } from '../modules.js';
import type { Platform } from './container.js';
import { platformRoutes } from './routes.js';
import { hoistNamedSchemas, nameContractSchemas } from '../kernel/http/openapi.js';
import { registerProblemHandler, sendProblem } from '../kernel/http/problem.js';
import { documentProblems, problemSchema } from '../kernel/http/schemas.js';
import { registerSecurityHeaders } from '../kernel/http/security.js';
import { registerValidation } from '../kernel/http/validation.js';

export const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

/** Paths whose values are personal data or secrets: never written to logs. */
const SENSITIVE_KEYS = ['password', 'totp', 'token', 'personal', 'data', 'nameKanji', 'nameKana', 'address', 'birthDate', 'sex', 'phone', 'email'];
export const REDACT_PATHS = [
  'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]',
  ...SENSITIVE_KEYS, ...SENSITIVE_KEYS.map((k) => `*.${k}`), ...SENSITIVE_KEYS.map((k) => `*.*.${k}`),
];

export interface AppOptions {
  logger?: boolean | object;
  serveWeb?: boolean;
  /** The built web app to serve (default: packages/web/dist). */
  webRoot?: string;
}

/**
 * A module's joint-use service (共同利用) is checked before every one of its routes' handlers, after
 * the route's own guard: the municipality named in the path, or else the caller's own, must have
 * joined it (403 service-not-joined otherwise). Declared once by the module, never forgotten by a handler.
 */
function gateJointUse(scope: FastifyInstance, service: string, ports: KernelPorts): void {
  const gate: preHandlerAsyncHookHandler = async (req) => {
    const code = (req.params as { code?: string } | undefined)?.code ?? req.resident?.municipalityCode ?? req.staff?.municipalityCode;
    if (code) await ports.serviceGate.requireService(code, service);
  };
  scope.addHook('onRoute', (route) => {
    const own = route.preHandler ? (Array.isArray(route.preHandler) ? route.preHandler : [route.preHandler]) : [];
    route.preHandler = [...own, gate];
  });
}

/**
 * Registers each module's routes in an encapsulated plugin of its own, in list order. A route (method
 * and path) another module has already is refused, naming both modules.
 */
export async function registerModuleRoutes(app: FastifyInstance, built: Platform['built'], list: readonly AnyModule[]): Promise<void> {
  const owners = new Map<string, string>();
  const schemaOwners = new Map<string, string>();
  for (const m of list) {
    if (m.schemas) nameContractSchemas(m.name, m.schemas, schemaOwners);
    if (!m.routes) continue;
    const kit = { ...built.kit(m), services: built.services.get(m)! };
    await app.register(async (scope) => {
      scope.addHook('onRoute', (route) => {
        for (const method of [route.method].flat()) {
          const key = `${method} ${route.url}`;
          const prior = owners.get(key);
          if (prior && prior !== m.name) throw new Error(`route ${key} is declared by both ${prior} and ${m.name}`);
          owners.set(key, m.name);
        }
      });
      if (m.jointUseService) gateJointUse(scope, m.jointUseService, built.ports);
      await m.routes!(scope.withTypeProvider<TypeBoxTypeProvider>(), kit);
    });
  }
}

export async function buildApp(platform: Platform, opts: AppOptions = {}): Promise<FastifyInstance> {
  const { config } = platform;
  const app = Fastify({
    logger: opts.logger === false ? false : { level: config.logLevel, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, ...(typeof opts.logger === 'object' ? opts.logger : {}) },
    bodyLimit: config.bodyLimitBytes,
    // X-Forwarded-For only from the configured proxies (never the client's own word: see Config).
    trustProxy: config.trustedProxies.length ? config.trustedProxies : false,
    genReqId: () => crypto.randomUUID(),
  });
  registerValidation(app);
  // Only JSON is accepted: no implicit text/plain bodies.
  app.removeContentTypeParser('text/plain');

  registerProblemHandler(app, config.bodyLimitBytes);
  app.addSchema(problemSchema);
  documentProblems(app);
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: () => HttpErrors['rate-limited'](),
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Kazashi API',
        description: 'Shared My Number Card services for municipalities. Errors are RFC 9457 problem+json with Japanese and English messages.',
        version: '0.1.0',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE }, residentSession: { type: 'apiKey', in: 'cookie', name: RESIDENT_COOKIE } } },
    },
    // Shapes named in module contracts become components.schemas (the generated web types' names).
    transformObject: (doc) => ('openapiObject' in doc ? hoistNamedSchemas(doc.openapiObject as Parameters<typeof hoistNamedSchemas>[0]) as typeof doc.openapiObject : doc.swaggerObject),
    refResolver: { buildLocalReference: (json, _base, _frag, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    // Swagger UI sets a few inline styles as it renders; the docs pages alone allow them.
    transformStaticCSP: (header) => header.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
  });
  await registerSecurityHeaders(app, { production: config.production });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  platformRoutes(app, { db: platform.db });
  // Every module's routes, each in an encapsulated plugin of its own (its hooks, parsers and error
  // mapping stay inside it), in the order of src/modules.ts.
  await registerModuleRoutes(app, platform.built, modules);

  const webRoot = opts.webRoot ?? webDist;
  const serveWeb = (opts.serveWeb ?? true) && fs.existsSync(path.join(webRoot, 'index.html'));
  if (serveWeb) {
    await app.register(fastifyStatic, {
      root: webRoot, prefix: '/', wildcard: false, index: false,
      // Vite fingerprints everything under /assets/, so those files never change.
      setHeaders: (res, file) => res.header('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache'),
    });
  }
  const indexHtml = serveWeb ? fs.readFileSync(path.join(webRoot, 'index.html'), 'utf8') : undefined;
  app.setNotFoundHandler((req, reply) => {
    // Client-side routes of the single-page app get index.html (for a browser, or any client that
    // takes anything, as curl does); API paths and missing files (a name with an extension) a problem.
    const accept = req.headers.accept ?? '*/*';
    const pathname = req.url.split('?')[0]!;
    const wantsPage = (req.method === 'GET' || req.method === 'HEAD') && !pathname.startsWith('/api/')
      && !/\.[A-Za-z0-9]+$/.test(pathname) && (accept.includes('text/html') || accept.includes('*/*'));
    if (indexHtml && wantsPage) return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(indexHtml);
    return sendProblem(req, reply, HttpErrors['not-found']());
  });
  return app;
}

import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import { Counter, type Registry } from 'prom-client';

/** Where browsers report what the Content-Security-Policy blocked (logged and counted, see registerCspReports). */
export const CSP_REPORT_PATH = '/api/csp-reports';

type Directives = Record<string, string[]>;

/**
 * The Content-Security-Policy of the web app (a built single-page app: every script and style from
 * this origin), the API docs (Swagger UI's inline scripts by hash) and the OpenID Connect provider.
 * The kiosk page talks to the card agent on the same PC (ws://127.0.0.1:<port>, ws://localhost:<port>).
 */
export function contentSecurityPolicy(opts: { production: boolean; swagger: { script: string[]; style: string[] } }): Directives {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'", ...opts.swagger.script],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", ...opts.swagger.style],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", 'ws://127.0.0.1:*', 'ws://localhost:*'],
    'media-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    'report-uri': [CSP_REPORT_PATH],
    // Only behind HTTPS: on a plain-HTTP demo or kiosk LAN it would send every request to https.
    ...(opts.production ? { 'upgrade-insecure-requests': [] } : {}),
  };
}

/**
 * Security headers on every response, hijacked ones included (the OpenID Connect provider, event
 * streams: @fastify/helmet writes them on the raw response in onRequest): CSP, nosniff, frame
 * protection (X-Frame-Options DENY and frame-ancestors 'none'), a same-origin referrer, and HSTS in
 * production. Register after @fastify/swagger-ui (its script hashes go into the policy).
 */
export async function registerSecurityHeaders(app: FastifyInstance, opts: { production: boolean }): Promise<void> {
  const swagger = (app as unknown as { swaggerCSP?: { script: string[]; style: string[] } }).swaggerCSP ?? { script: [], style: [] };
  await app.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy({ production: opts.production, swagger }) },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    hsts: opts.production ? { maxAge: 365 * 24 * 3600, includeSubDomains: true } : false,
    // Relying parties fetch the provider's documents from their servers, browsers only navigate to it.
    crossOriginResourcePolicy: { policy: 'same-site' },
  });
}

/** Route options for the OpenID Connect provider: its form_post answer submits to the relying party's origin. */
export function oidcProviderHelmet(opts: { production: boolean; swagger?: { script: string[]; style: string[] } }) {
  const { 'form-action': _formAction, ...directives } = contentSecurityPolicy({ production: opts.production, swagger: opts.swagger ?? { script: [], style: [] } });
  return { contentSecurityPolicy: { useDefaults: false, directives } };
}

/**
 * POST /api/csp-reports: what browsers blocked under the policy (report-uri format). Logged at warn
 * and counted in `kazashi_csp_violations_total`, so a page the policy breaks is seen, not guessed.
 */
export function registerCspReports(app: FastifyInstance, registry: Registry): void {
  const violations = new Counter({ name: 'kazashi_csp_violations_total', help: 'Content-Security-Policy violations reported by browsers', labelNames: ['directive'], registers: [registry] });
  void app.register(async (scope) => {
    scope.addContentTypeParser(['application/csp-report', 'application/reports+json'], { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(null, {});
      }
    });
    scope.post(CSP_REPORT_PATH, { schema: { hide: true }, logLevel: 'warn' }, async (req, reply) => {
      const body = req.body as { 'csp-report'?: Record<string, unknown> } | { body?: Record<string, unknown> }[] | undefined;
      const reports = Array.isArray(body) ? body.map((r) => r.body ?? {}) : [body?.['csp-report'] ?? {}];
      for (const r of reports) {
        const directive = String(r['effective-directive'] ?? r.effectiveDirective ?? r['violated-directive'] ?? 'unknown').split(' ')[0]!.slice(0, 40);
        violations.inc({ directive });
        req.log.warn({ csp: { directive, blocked: String(r['blocked-uri'] ?? r.blockedURL ?? '').slice(0, 200), page: String(r['document-uri'] ?? r.documentURL ?? '').split('?')[0]!.slice(0, 200) } }, 'content security policy violation');
      }
      return reply.code(204).send();
    });
  });
}

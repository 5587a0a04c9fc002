import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { CSRF_HEADER, principal, requireCsrf } from '../kernel/http/auth.js';
import { MunicipalityCode, Strict, Type, type App } from '../kernel/http/contract.js';
import { staffErrors, staffSecurity } from '../kernel/http/schemas.js';
import { oidcProviderHelmet } from '../kernel/http/security.js';
import { RESIDENT_COOKIE } from '../portal/index.js';
import type { ClientCaller, OidcClientService } from './clients.js';
import { OidcClientCreated, OidcClientInput, OidcClientView, OidcConsentRequest, OidcInteractionDetails, OidcRedirect } from './contract.js';
import { REQUEST_ID, type OidcService, type ResidentSessionLookup } from './service.js';

const code = MunicipalityCode;
const codeParams = Strict({ code });
const clientParams = Strict({ code, clientId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) });
const uidParams = Strict({ uid: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) });
const problems = Object.fromEntries([400, 401, 403, 404, 409].map((s) => [s, { $ref: 'Problem#' }]));

/**
 * The provider itself under /oidc (discovery, authorization, token, userinfo, jwks …), handed the raw
 * request untouched: an encapsulated plugin whose only content-type parser leaves bodies unread.
 */
export async function oidcProviderMount(app: FastifyInstance, deps: { oidc: OidcService; trustedProxies: string[]; production: boolean }) {
  // The provider (Koa, proxy mode) believes X-Forwarded-Proto/-Host/-For of every request: they are
  // removed unless the connection comes from a configured proxy, as Fastify does for its own routes.
  const fromTrustedProxy = deps.trustedProxies.length ? proxyAddr.compile(deps.trustedProxies) : () => false;
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
    const callback = deps.oidc.provider.callback();
    const handler = (req: FastifyRequest, reply: { hijack(): void; raw: import('node:http').ServerResponse }) => {
      reply.hijack();
      const raw = req.raw as IncomingMessage & { originalUrl?: string; [REQUEST_ID]?: string };
      if (!fromTrustedProxy(raw.socket.remoteAddress ?? '', 0)) {
        for (const h of ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port', 'forwarded']) delete raw.headers[h];
      }
      raw.originalUrl = raw.url;
      raw.url = raw.url!.slice('/oidc'.length) || '/';
      raw[REQUEST_ID] = req.id;
      callback(raw, reply.raw);
    };
    const helmet = oidcProviderHelmet({ production: deps.production });
    scope.all('/oidc', { schema: { hide: true }, helmet }, handler);
    scope.all('/oidc/*', { schema: { hide: true }, helmet }, handler);
  });
}

/** The resident-facing interaction page (the SPA) and its JSON API, and staff registration of clients. */
export function oidcRoutes(app: App, deps: { oidc: OidcService; clients: OidcClientService; residentSessions: ResidentSessionLookup | undefined; guard: preHandlerAsyncHookHandler }) {
  const { oidc, clients, guard } = deps;
  const tags = ['oidc'];
  const token = (req: FastifyRequest) => req.cookies[RESIDENT_COOKIE];

  // The page itself is the web app's (index.html through the not-found handler's single-page fallback).
  app.get('/oidc/interaction/:uid', { schema: { hide: true, params: uidParams } }, (_req, reply) => reply.callNotFound());

  app.get('/oidc/interaction/:uid/details', {
    schema: {
      tags, summary: 'What the login/consent page shows: the service, the items it asks for, the required acr and the resident session', params: uidParams,
      response: { 200: OidcInteractionDetails, ...problems },
    },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return oidc.details(req.raw, reply.raw, req.params.uid, token(req));
  });

  app.post('/oidc/interaction/:uid/login', {
    schema: { tags, summary: `Complete the login step with the resident session (cookie ${RESIDENT_COOKIE}, header ${CSRF_HEADER})`, params: uidParams, response: { 200: OidcRedirect, ...problems } },
  }, async (req, reply) => {
    const t = token(req);
    const session = t && deps.residentSessions ? await deps.residentSessions.authenticate(t) : undefined;
    if (session) requireCsrf(req, session.csrfToken);
    return oidc.login(req.raw, reply.raw, req.params.uid, t, req.id);
  });

  app.post('/oidc/interaction/:uid/consent', {
    schema: {
      tags, summary: 'Record the resident\'s consent to the items approved (the rest are refused)', params: uidParams,
      body: OidcConsentRequest,
      response: { 200: OidcRedirect, ...problems },
    },
  }, async (req, reply) => oidc.consent(req.raw, reply.raw, req.params.uid, req.body.scopes, req.id));

  app.post('/oidc/interaction/:uid/abort', {
    schema: { tags, summary: 'The resident declines: the service receives access_denied', params: uidParams, response: { 200: OidcRedirect, ...problems } },
  }, async (req, reply) => oidc.abort(req.raw, reply.raw, req.params.uid));

  // --- staff: registering joint-use services ---
  const caller = (req: FastifyRequest): ClientCaller => ({ staff: principal(req), requestId: req.id });

  app.get('/api/municipalities/:code/oidc-clients', {
    preHandler: guard,
    schema: { tags, summary: 'OpenID Connect clients (joint-use services) of a municipality', security: staffSecurity, params: codeParams, response: { 200: Type.Array(OidcClientView), ...staffErrors } },
  }, async (req) => clients.list(caller(req), req.params.code));

  app.post('/api/municipalities/:code/oidc-clients', {
    preHandler: guard,
    schema: {
      tags, summary: 'Register a service; a confidential client\'s secret is returned this once', security: staffSecurity, params: codeParams,
      body: OidcClientInput,
      response: { 201: OidcClientCreated, ...staffErrors },
    },
  }, async (req, reply) => reply.code(201).send(await clients.create(caller(req), req.params.code, req.body)));

  app.post('/api/municipalities/:code/oidc-clients/:clientId/disable', {
    preHandler: guard,
    schema: { tags, summary: 'Disable a client with immediate effect', security: staffSecurity, params: clientParams, response: { 200: OidcClientView, ...staffErrors } },
  }, async (req) => clients.disable(caller(req), req.params.code, req.params.clientId));
}

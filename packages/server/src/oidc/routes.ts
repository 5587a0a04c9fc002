import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { CSRF_HEADER, principal, requireCsrf } from '../kernel/http/auth.js';
import { codeParams, municipalityCodeSchema, staffErrors, staffSecurity } from '../kernel/http/schemas.js';
import { oidcProviderHelmet } from '../kernel/http/security.js';
import { RESIDENT_COOKIE } from '../portal/index.js';
import { AUTH_METHODS, OIDC_SCOPES, type ClientCaller, type OidcClientInput, type OidcClientService } from './clients.js';
import { REQUEST_ID, type OidcService, type ResidentSessionLookup } from './service.js';



const clientView = {
  type: 'object',
  properties: {
    clientId: { type: 'string' }, municipalityCode: { type: 'string' },
    name: { type: 'object', properties: { ja: { type: 'string' }, en: { type: 'string' } } },
    redirectUris: { type: 'array', items: { type: 'string' } }, scopes: { type: 'array', items: { type: 'string' } },
    tokenEndpointAuthMethod: { type: 'string' }, createdBy: { type: 'string' }, createdAt: { type: 'string' }, disabledAt: { type: ['string', 'null'] },
  },
} as const;
const clientParams = {
  type: 'object', additionalProperties: false, required: ['code', 'clientId'],
  properties: { code: municipalityCodeSchema, clientId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } },
} as const;
const uidParams = { type: 'object', additionalProperties: false, required: ['uid'], properties: { uid: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } } } as const;
const redirect = { type: 'object', properties: { redirectTo: { type: 'string' } } } as const;
const problems = Object.fromEntries([400, 401, 403, 404, 409].map((s) => [s, { $ref: 'Problem#' }]));
const ACR_ENUM = ['urn:kazashi:acr:card-pin', 'urn:kazashi:acr:card-touch'];
const name = { type: 'object', properties: { ja: { type: 'string' }, en: { type: 'string' } } } as const;

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
export function oidcRoutes(app: FastifyInstance, deps: { oidc: OidcService; clients: OidcClientService; residentSessions: ResidentSessionLookup | undefined; guard: preHandlerAsyncHookHandler }) {
  const { oidc, clients, guard } = deps;
  const tags = ['oidc'];
  const token = (req: FastifyRequest) => req.cookies[RESIDENT_COOKIE];

  // The page itself is the web app's (index.html through the not-found handler's single-page fallback).
  app.get('/oidc/interaction/:uid', { schema: { hide: true, params: uidParams } }, (_req, reply) => reply.callNotFound());

  app.get<{ Params: { uid: string } }>('/oidc/interaction/:uid/details', {
    schema: {
      tags, summary: 'What the login/consent page shows: the service, the items it asks for, the required acr and the resident session', params: uidParams,
      response: {
        200: {
          type: 'object',
          properties: {
            prompt: { type: 'string', enum: ['login', 'consent'] },
            client: { type: 'object', properties: { clientId: { type: 'string' }, name, municipalityCode: { type: 'string' }, municipalityName: name } },
            scopes: { type: 'array', items: { type: 'string' } }, missingScopes: { type: 'array', items: { type: 'string' } },
            acrRequested: { type: ['string', 'null'], enum: [...ACR_ENUM, null] },
            freshLoginRequired: { type: 'boolean' },
            resident: { type: 'object', properties: { loggedIn: { type: 'boolean' }, acr: { type: ['string', 'null'] }, municipalityCode: { type: ['string', 'null'] } } },
          },
        },
        ...problems,
      },
    },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return oidc.details(req.raw, reply.raw, req.params.uid, token(req));
  });

  app.post<{ Params: { uid: string } }>('/oidc/interaction/:uid/login', {
    schema: { tags, summary: `Complete the login step with the resident session (cookie ${RESIDENT_COOKIE}, header ${CSRF_HEADER})`, params: uidParams, response: { 200: redirect, ...problems } },
  }, async (req, reply) => {
    const t = token(req);
    const session = t && deps.residentSessions ? await deps.residentSessions.authenticate(t) : undefined;
    if (session) requireCsrf(req, session.csrfToken);
    return oidc.login(req.raw, reply.raw, req.params.uid, t, req.id);
  });

  app.post<{ Params: { uid: string }; Body: { scopes: string[] } }>('/oidc/interaction/:uid/consent', {
    schema: {
      tags, summary: 'Record the resident\'s consent to the items approved (the rest are refused)', params: uidParams,
      body: { type: 'object', additionalProperties: false, required: ['scopes'], properties: { scopes: { type: 'array', maxItems: 10, uniqueItems: true, items: { type: 'string', enum: [...OIDC_SCOPES] } } } },
      response: { 200: redirect, ...problems },
    },
  }, async (req, reply) => oidc.consent(req.raw, reply.raw, req.params.uid, req.body.scopes, req.id));

  app.post<{ Params: { uid: string } }>('/oidc/interaction/:uid/abort', {
    schema: { tags, summary: 'The resident declines: the service receives access_denied', params: uidParams, response: { 200: redirect, ...problems } },
  }, async (req, reply) => oidc.abort(req.raw, reply.raw, req.params.uid));

  // --- staff: registering joint-use services ---
  const caller = (req: FastifyRequest): ClientCaller => ({ staff: principal(req), requestId: req.id });

  app.get<{ Params: { code: string } }>('/api/municipalities/:code/oidc-clients', {
    preHandler: guard,
    schema: { tags, summary: 'OpenID Connect clients (joint-use services) of a municipality', security: staffSecurity, params: codeParams, response: { 200: { type: 'array', items: clientView }, ...staffErrors } },
  }, async (req) => clients.list(caller(req), req.params.code));

  app.post<{ Params: { code: string }; Body: OidcClientInput }>('/api/municipalities/:code/oidc-clients', {
    preHandler: guard,
    schema: {
      tags, summary: 'Register a service; a confidential client\'s secret is returned this once', security: staffSecurity, params: codeParams,
      body: {
        type: 'object', additionalProperties: false, required: ['nameJa', 'nameEn', 'redirectUris', 'scopes', 'tokenEndpointAuthMethod'],
        properties: {
          nameJa: { type: 'string', minLength: 1, maxLength: 100 }, nameEn: { type: 'string', minLength: 1, maxLength: 100 },
          redirectUris: { type: 'array', minItems: 1, maxItems: 10, items: { type: 'string', minLength: 1, maxLength: 500 } },
          scopes: { type: 'array', maxItems: 10, uniqueItems: true, items: { type: 'string', enum: [...OIDC_SCOPES] } },
          tokenEndpointAuthMethod: { type: 'string', enum: [...AUTH_METHODS] },
        },
      },
      response: { 201: { type: 'object', properties: { client: clientView, clientSecret: { type: 'string' } } }, ...staffErrors },
    },
  }, async (req, reply) => reply.code(201).send(await clients.create(caller(req), req.params.code, req.body)));

  app.post<{ Params: { code: string; clientId: string } }>('/api/municipalities/:code/oidc-clients/:clientId/disable', {
    preHandler: guard,
    schema: { tags, summary: 'Disable a client with immediate effect', security: staffSecurity, params: clientParams, response: { 200: clientView, ...staffErrors } },
  }, async (req) => clients.disable(caller(req), req.params.code, req.params.clientId));
}

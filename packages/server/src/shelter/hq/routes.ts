import type { FastifyReply, FastifyRequest } from 'fastify';
import { actFor } from '../../kernel/callers.js';
import { principal } from '../../kernel/http/auth.js';
import { CodeParams, Type, type App } from '../../kernel/http/contract.js';
import { staffSecurity } from '../../kernel/http/schemas.js';
import { HqOverview, PublicShelterView } from '../contract.js';
import type { ShelterRouteDeps } from '../index.js';

const problems = Object.fromEntries([400, 401, 403, 404].map((s) => [s, { $ref: 'Problem#' }]));

/** A stream outlives no session for long: the browser reconnects (retry) and passes the guard again. */
const STREAM_MAX_MS = 15 * 60_000;
/** A client that reads slower than we write is dropped rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 1 << 20;

export function hqRoutes(app: App, deps: ShelterRouteDeps) {
  const { hq, live, guard } = deps;
  const tags = ['shelter'];
  // Fastify waits for open connections when closing: streams never idle, so this app ends its own first.
  const open = new Set<() => void>();
  app.addHook('preClose', async () => { for (const end of [...open]) end(); });

  app.get('/api/municipalities/:code/hq/overview', {
    preHandler: guard,
    schema: {
      tags, summary: 'Disaster HQ dashboard: live counts of every open shelter, residents outside and in partners\' shelters',
      security: staffSecurity, params: CodeParams, response: { 200: HqOverview, ...problems },
    },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return hq.overview(principal(req), req.params.code);
  });

  app.get('/api/municipalities/:code/hq/events', {
    preHandler: guard,
    schema: {
      tags, security: staffSecurity, params: CodeParams,
      summary: 'Server-Sent Events: `shelter` (a ShelterSummary) when a shelter changes, `elsewhere` when residents outside or in partners\' shelters change, `resync` when changes may have been missed (fetch the overview again)',
      response: { 200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, ...problems },
    },
  }, async (req, reply) => {
    // Permission first, while errors can still be problem+json.
    actFor(principal(req), req.params.code, 'shelter:operate');
    const end = stream(req, reply, (send, finish) => live.subscribe(req.params.code, send, finish));
    open.add(end);
    reply.raw.on('close', () => open.delete(end));
  });

  app.get('/api/public/municipalities/:code/shelters', {
    schema: {
      tags, summary: 'Public: open shelters and how crowded they are (no personal data)', params: CodeParams,
      response: { 200: Type.Array(PublicShelterView), 400: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' } },
    },
  }, async (req, reply) => {
    // Residents reload this page in a disaster: let browsers and any CDN share it for a few seconds.
    reply.header('cache-control', 'public, max-age=10');
    return hq.publicShelters(req.params.code);
  });
}

/** Takes the response over from Fastify and keeps it open as an event stream until either side ends it. */
function stream(req: FastifyRequest, reply: FastifyReply, subscribe: (send: (frame: string) => void, end: () => void) => () => void): () => void {
  reply.hijack();
  const res = reply.raw;
  const socket = req.raw.socket;
  // The stream is written in small frames that must reach the browser now, not with the next one.
  socket.setNoDelay(true);
  socket.setKeepAlive(true);
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store, no-transform',
    connection: 'keep-alive',
    // nginx and similar proxies buffer responses unless told not to.
    'x-accel-buffering': 'no',
    // Security headers (nosniff, referrer policy …) are already on the raw response (@fastify/helmet).
  });
  let done = false;
  let unsubscribe: () => void = () => {};
  const finish = () => {
    if (done) return;
    done = true;
    clearTimeout(maxAge);
    unsubscribe();
    if (!res.writableEnded) res.end();
  };
  const send = (frame: string) => {
    if (done) return;
    if (res.writableLength > MAX_BUFFERED_BYTES) return finish();
    res.write(frame);
  };
  const maxAge = setTimeout(finish, STREAM_MAX_MS);
  maxAge.unref();
  // The response closes when the client disconnects (or we end it): unsubscribe either way.
  res.on('close', finish);
  res.on('error', finish);
  unsubscribe = subscribe(send, finish);
  // Gone before we got here: 'close' will not fire again.
  if (socket.destroyed) finish();
  // retry: how long the browser waits before reconnecting; the comment flushes the headers at once.
  else res.write('retry: 3000\n: connected\n\n');
  return finish;
}

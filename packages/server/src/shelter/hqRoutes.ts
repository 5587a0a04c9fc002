import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { principal } from '../kernel/http/auth.js';
import { codeParams, staffSecurity } from '../kernel/http/schemas.js';
import { actFor } from '../kernel/callers.js';
import type { ShelterRouteDeps } from './index.js';
import { NEEDS } from './schema.js';

const problems = Object.fromEntries([400, 401, 403, 404].map((s) => [s, { $ref: 'Problem#' }]));
const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const nullableInt = { type: ['integer', 'null'] } as const;
const shelterStatus = { type: 'string', enum: ['closed', 'open', 'full', 'requested'] } as const;
const shelterKind = { type: 'string', enum: ['general', 'welfare'] } as const;

const needCounts = {
  type: 'object', required: [...NEEDS], additionalProperties: false,
  properties: Object.fromEntries(NEEDS.map((n) => [n, int])),
} as const;

const shelterSummary = {
  type: 'object',
  properties: {
    shelterId: str, municipalityCode: str, nameJa: str, nameEn: str, latitude: nullableStr, longitude: nullableStr,
    kind: shelterKind, status: shelterStatus, disasterId: nullableStr, capacity: nullableInt,
    present: int, out: int, households: int, male: int, female: int, fromOtherMunicipalities: int,
    needs: needCounts,
    languages: { type: 'object', additionalProperties: int, description: 'Language code → people, languages other than Japanese' },
    occupancyRate: { type: ['number', 'null'] }, updatedAt: str,
  },
} as const;

const disasterView = {
  type: 'object',
  properties: {
    id: str, municipalityCode: str, kind: str, nameJa: str, nameEn: str, area: str, declaredAt: str, declaredBy: str, endedAt: nullableStr,
  },
} as const;

const hqOverview = {
  type: 'object',
  properties: {
    municipalityCode: str,
    disasters: { type: 'array', items: disasterView },
    shelters: { type: 'array', items: shelterSummary },
    outside: { type: 'object', properties: { home: int, car: int, tent: int, other: int } },
    residentsElsewhere: {
      type: 'array',
      items: { type: 'object', properties: { municipalityCode: str, shelterId: str, nameJa: str, nameEn: str, count: int } },
    },
    totals: { type: 'object', properties: { present: int, out: int, households: int, shelters: int, capacity: int } },
    generatedAt: str,
  },
} as const;

const publicShelterView = {
  type: 'object',
  properties: {
    id: str, nameJa: str, nameEn: str, address: str, latitude: nullableStr, longitude: nullableStr, kind: shelterKind,
    hazards: { type: 'array', items: str }, status: shelterStatus, capacity: nullableInt, present: int,
    congestion: { type: 'string', enum: ['empty', 'some', 'crowded', 'full', 'unknown'] }, updatedAt: str,
  },
} as const;

/** A stream outlives no session for long: the browser reconnects (retry) and passes the guard again. */
const STREAM_MAX_MS = 15 * 60_000;
/** A client that reads slower than we write is dropped rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 1 << 20;

export function hqRoutes(app: FastifyInstance, deps: ShelterRouteDeps) {
  const { hq, live, guard } = deps;
  const tags = ['shelter'];
  // Fastify waits for open connections when closing: streams never idle, so this app ends its own first.
  const open = new Set<() => void>();
  app.addHook('preClose', async () => { for (const end of [...open]) end(); });

  app.get<{ Params: { code: string } }>('/api/municipalities/:code/hq/overview', {
    preHandler: guard,
    schema: {
      tags, summary: 'Disaster HQ dashboard: live counts of every open shelter, residents outside and in partners\' shelters',
      security: staffSecurity, params: codeParams, response: { 200: hqOverview, ...problems },
    },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return hq.overview(principal(req), req.params.code);
  });

  app.get<{ Params: { code: string } }>('/api/municipalities/:code/hq/events', {
    preHandler: guard,
    schema: {
      tags, security: staffSecurity, params: codeParams,
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

  app.get<{ Params: { code: string } }>('/api/public/municipalities/:code/shelters', {
    schema: {
      tags, summary: 'Public: open shelters and how crowded they are (no personal data)', params: codeParams,
      response: { 200: { type: 'array', items: publicShelterView }, 400: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' } },
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

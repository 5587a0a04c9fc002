import crypto from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { MAX_CLOCK_SKEW_MS, requestSigningInput, responseSigningInput, SIG, sign, verify } from './signing.js';
import type { VaultStore } from './types.js';

export interface VaultServerOptions {
  store: VaultStore;
  /** The vault's own Ed25519 private key (PEM): it signs every response. */
  serverPrivatePem: string;
  /** Public keys (PEM) of the platforms allowed to call this vault. */
  trustedClientPems: string[];
  /** If set, only these municipalities' records are served. */
  municipalities?: string[];
  logger?: boolean;
  https?: { key: Buffer; cert: Buffer; ca?: Buffer; requestCert?: boolean };
}

const CODE = '^[0-9]{6}$';
const UUID = '^[0-9a-fA-F-]{36}$';

/**
 * `kazashi vault serve`: the vault as its own process with its own database, reachable only through
 * this signed API — how a vault inside a closed network (LGWAN) is reached.
 */
export function buildVaultServer(opts: VaultServerOptions): FastifyInstance {
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: 1024 * 1024, https: opts.https ?? null } as never) as unknown as FastifyInstance;
  const serverKey = crypto.createPrivateKey(opts.serverPrivatePem);
  const clients = opts.trustedClientPems.map((p) => crypto.createPublicKey(p));
  const seenNonces = new Map<string, number>();

  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    (req as unknown as { rawBody: string }).rawBody = body as string;
    try { done(null, body ? JSON.parse(body as string) : undefined); } catch (e) { (e as { statusCode?: number }).statusCode = 400; done(e as Error); }
  });

  app.addHook('onRequest', async (req, reply) => {
    if (req.url === '/healthz') return;
    const nonce = String(req.headers[SIG.nonce] ?? '');
    (req as unknown as { nonce: string }).nonce = nonce;
    const date = String(req.headers[SIG.date] ?? '');
    const skew = Math.abs(Date.now() - Date.parse(date));
    if (!nonce || !(skew < MAX_CLOCK_SKEW_MS)) return reply.code(401).send({ error: 'stale or unsigned request' });
    const now = Date.now();
    for (const [n, t] of seenNonces) if (now - t > 2 * MAX_CLOCK_SKEW_MS) seenNonces.delete(n);
    if (seenNonces.has(nonce)) return reply.code(401).send({ error: 'replayed request' });
    (req as unknown as { sigDate: string }).sigDate = date;
  });

  app.addHook('preHandler', async (req, reply) => {
    if (req.url === '/healthz') return;
    const r = req as unknown as { rawBody?: string; nonce: string; sigDate: string };
    const input = requestSigningInput(req.method, req.url, r.sigDate, r.nonce, r.rawBody ?? '');
    const signature = String(req.headers[SIG.signature] ?? '');
    if (!clients.some((k) => verify(k, input, signature))) return reply.code(401).send({ error: 'bad signature' });
    seenNonces.set(r.nonce, Date.now());
    const code = (req.params as { code?: string }).code;
    if (code && opts.municipalities && !opts.municipalities.includes(code)) return reply.code(403).send({ error: 'municipality not served here' });
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const body = typeof payload === 'string' ? payload : payload == null ? '' : Buffer.isBuffer(payload) ? payload.toString() : String(payload);
    reply.header(SIG.signature, sign(serverKey, responseSigningInput(reply.statusCode, String(req.headers[SIG.nonce] ?? ''), body)));
    return body;
  });

  const recParams = {
    type: 'object', required: ['code', 'residentId', 'category'], additionalProperties: false,
    properties: { code: { type: 'string', pattern: CODE }, residentId: { type: 'string', pattern: UUID }, category: { type: 'string', pattern: '^[a-z]{1,32}$' } },
  } as const;
  const codeParams = { type: 'object', required: ['code'], properties: { code: { type: 'string', pattern: CODE } } } as const;

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get<{ Params: { code: string; residentId: string; category: string } }>('/v1/:code/records/:residentId/:category', { schema: { params: recParams } }, async (req, reply) => {
    const rec = await opts.store.get(req.params.code, req.params.residentId, req.params.category);
    if (!rec) return reply.code(404).send({ error: 'not found' });
    return rec;
  });

  app.put<{ Params: { code: string; residentId: string; category: string }; Body: { keyId: string; payload: Record<string, string> } }>(
    '/v1/:code/records/:residentId/:category',
    {
      schema: {
        params: recParams,
        body: {
          type: 'object', required: ['keyId', 'payload'], additionalProperties: false,
          properties: { keyId: { type: 'string', maxLength: 64 }, payload: { type: 'object', additionalProperties: { type: 'string' } } },
        },
      },
    },
    async (req, reply) => {
      await opts.store.put({ municipalityCode: req.params.code, residentId: req.params.residentId, category: req.params.category, ...req.body });
      return reply.code(204).send();
    },
  );

  app.delete<{ Params: { code: string; residentId: string; category: string } }>('/v1/:code/records/:residentId/:category', { schema: { params: recParams } }, async (req, reply) => {
    const gone = await opts.store.delete(req.params.code, req.params.residentId, req.params.category);
    return reply.code(gone ? 204 : 404).send();
  });

  app.get<{ Params: { code: string }; Querystring: { category?: string; residentIds?: string } }>('/v1/:code/records', { schema: { params: codeParams } }, async (req) =>
    opts.store.find(req.params.code, { category: req.query.category, residentIds: req.query.residentIds?.split(',').filter(Boolean) }));

  app.get<{ Params: { code: string } }>('/v1/:code/count', { schema: { params: codeParams } }, async (req) => ({ count: await opts.store.count(req.params.code) }));

  app.addHook('onClose', async () => { await opts.store.close(); });
  return app;
}

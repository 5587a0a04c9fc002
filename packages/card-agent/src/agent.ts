import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { authenticate, identify, JpkiError, readBasicFour, type CardTransport } from '@kazashi/jpki';
import { WebSocketServer, type WebSocket } from 'ws';
import { parseRequest, type AgentErrorBody, type AgentEvent, type Reply, type Request } from './protocol.js';

/** Where the agent gets its readers: PC/SC on a kiosk, an in-memory source in tests. */
export interface ReaderSource {
  readers(): { name: string; cardPresent: boolean }[];
  connect(reader: string): Promise<CardTransport>;
  on(event: AgentEvent, listener: (reader: string) => void): unknown;
  close(): Promise<void>;
}

export interface CardAgentOptions {
  source: ReaderSource;
  /** Exact origins (scheme://host:port) of the kiosk pages allowed to connect. */
  allowedOrigins: string[];
  /** Shared secret the page must present first; generated when omitted. */
  pairingToken?: string;
  /** Receives operational messages; never a PIN, certificate or personal value. */
  log?: (message: string) => void;
}

const AGENT_ERRORS = {
  'not-paired': { ja: 'カードリーダーとの接続が認証されていません。', en: 'The page has not paired with the card agent.' },
  'bad-request': { ja: '要求の形式が正しくありません。', en: 'Malformed request.' },
  'no-reader': { ja: 'カードリーダーが接続されていません。', en: 'No card reader is connected.' },
  'unknown-reader': { ja: '指定されたカードリーダーが見つかりません。', en: 'That card reader is not connected.' },
  'reader-busy': { ja: 'このカードリーダーは別の処理中です。終わるまでお待ちください。', en: 'This reader is busy with another operation; wait for it to finish.' },
  internal: { ja: 'カードの処理中にエラーが発生しました。', en: 'An error occurred while handling the card.' },
} as const;

type AgentErrorCode = keyof typeof AGENT_ERRORS;

class AgentError extends Error {
  constructor(readonly code: AgentErrorCode, readonly detail?: string) {
    super(detail ?? AGENT_ERRORS[code].en);
  }
}

function errorBody(err: unknown): AgentErrorBody {
  if (err instanceof AgentError) return { code: err.code, messages: { ...AGENT_ERRORS[err.code] } };
  if (err instanceof JpkiError) {
    // ERR_JPKI_WRONG_PIN → wrong-pin: the page sees the same kebab-case codes as the server's problems.
    const code = err.code.replace(/^ERR_JPKI_/, '').toLowerCase().replaceAll('_', '-');
    const triesLeft = (err as { triesLeft?: number }).triesLeft;
    return { code, ...(triesLeft !== undefined ? { triesLeft } : {}), messages: err.messages() };
  }
  return { code: 'internal', messages: { ...AGENT_ERRORS.internal } };
}

const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64');

/**
 * The kiosk card agent: exposes card readers to the kiosk web page over a WebSocket bound to
 * 127.0.0.1, only to allowed origins that present the pairing token. One operation per reader at a
 * time; a card pulled mid-operation answers with the library's `card-removed` error. PINs are passed
 * straight to the card and never logged or kept.
 */
export class CardAgent extends EventEmitter {
  readonly pairingToken: string;
  private wss?: WebSocketServer;
  private readonly busy = new Set<string>();
  private readonly clients = new Set<WebSocket>();

  constructor(private readonly opts: CardAgentOptions) {
    super();
    this.pairingToken = opts.pairingToken ?? crypto.randomBytes(18).toString('base64url');
    for (const event of ['card-inserted', 'card-removed', 'reader-attached', 'reader-detached'] as const) {
      opts.source.on(event, (reader) => this.broadcast({ type: 'event', event, reader }));
    }
  }

  private log(message: string) {
    this.opts.log?.(message);
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<{ port: number; url: string }> {
    const wss = new WebSocketServer({
      host, port, maxPayload: 16 * 1024,
      // The Origin header is set by the browser and cannot be forged by a web page.
      verifyClient: (info, done) => {
        const ok = this.opts.allowedOrigins.includes(info.origin);
        if (!ok) this.log(`refused connection from origin ${info.origin || '(none)'}`);
        done(ok, 403, 'origin not allowed');
      },
    });
    this.wss = wss;
    wss.on('connection', (ws) => this.accept(ws));
    await new Promise<void>((resolve, reject) => {
      wss.once('listening', resolve);
      wss.once('error', reject);
    });
    const address = wss.address() as AddressInfo;
    return { port: address.port, url: `ws://${host}:${address.port}` };
  }

  private accept(ws: WebSocket) {
    let paired = false;
    const send = (reply: Reply | Record<string, unknown>) => { if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply)); };
    const pairingTimer = setTimeout(() => { if (!paired) ws.close(4401, 'not paired'); }, 10_000);
    ws.on('close', () => { clearTimeout(pairingTimer); this.clients.delete(ws); });
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? '' : data.toString();
      if (!paired) {
        let token: unknown;
        try { token = (JSON.parse(text) as { type?: string; token?: unknown }).token; } catch { token = undefined; }
        const expected = Buffer.from(this.pairingToken);
        const given = Buffer.from(typeof token === 'string' ? token : '');
        if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
          send({ id: null, ok: false, error: errorBody(new AgentError('not-paired')) });
          ws.close(4401, 'not paired');
          return;
        }
        paired = true;
        clearTimeout(pairingTimer);
        this.clients.add(ws);
        send({ type: 'ready', readers: this.opts.source.readers() });
        return;
      }
      const req = parseRequest(text);
      if ('invalid' in req) {
        send({ id: req.id, ok: false, error: { ...errorBody(new AgentError('bad-request')), messages: { ja: AGENT_ERRORS['bad-request'].ja, en: `Malformed request: ${req.invalid}.` } } });
        return;
      }
      void this.handle(req).then(
        (result) => send({ id: req.id, ok: true, result }),
        (err: unknown) => {
          const body = errorBody(err);
          if (body.code === 'internal') this.log(`operation ${req.op} failed: ${err instanceof Error ? err.message : String(err)}`);
          send({ id: req.id, ok: false, error: body });
        },
      );
    });
  }

  private pickReader(requested?: string): string {
    const readers = this.opts.source.readers();
    if (readers.length === 0) throw new AgentError('no-reader');
    if (requested === undefined) return (readers.find((r) => r.cardPresent) ?? readers[0]!).name;
    if (!readers.some((r) => r.name === requested)) throw new AgentError('unknown-reader');
    return requested;
  }

  /** Runs one operation with the reader held exclusively. */
  private async withCard<T>(requested: string | undefined, fn: (t: CardTransport) => Promise<T>): Promise<T> {
    const reader = this.pickReader(requested);
    if (this.busy.has(reader)) throw new AgentError('reader-busy');
    this.busy.add(reader);
    let transport: CardTransport | undefined;
    try {
      transport = await this.opts.source.connect(reader);
      return await fn(transport);
    } finally {
      await transport?.close?.().catch(() => {});
      this.busy.delete(reader);
    }
  }

  private async handle(req: Request): Promise<unknown> {
    switch (req.op) {
      case 'readers':
        return { readers: this.opts.source.readers() };
      case 'identify':
        return this.withCard(req.reader, async (t) => {
          const r = await identify(t);
          this.log(`identify: ${r.exchanges} exchanges`);
          return { certificate: b64(r.authCertificate), exchanges: r.exchanges };
        });
      case 'authenticate':
        return this.withCard(req.reader, async (t) => {
          const challenge = Buffer.from(req.challenge, 'base64url');
          const r = await authenticate(t, challenge, req.pin, { allowLastTry: req.allowLastTry });
          this.log(`authenticate: ${r.exchanges} exchanges`);
          return { certificate: b64(r.certificate), signature: b64(r.signature), exchanges: r.exchanges };
        });
      case 'readBasicFour':
        return this.withCard(req.reader, async (t) => (await readBasicFour(t, req.pin, { allowLastTry: req.allowLastTry })).basicFour);
    }
  }

  private broadcast(message: Record<string, unknown>) {
    const text = JSON.stringify(message);
    for (const ws of this.clients) if (ws.readyState === ws.OPEN) ws.send(text);
  }

  async close(): Promise<void> {
    for (const ws of this.clients) ws.close(1001, 'agent stopping');
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
    await this.opts.source.close();
  }
}

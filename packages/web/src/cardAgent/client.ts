import { CardAgentError } from './errors';
import type {
  AgentErrorBody,
  AgentEventName,
  AgentFrame,
  AgentReader,
  AgentRequest,
  AuthenticateResult,
  BasicFour,
  IdentifyResult,
} from './protocol';

/** Why a connection ended. `unpaired`: the agent refused the pairing token (or this origin). */
export type CloseReason = 'closed' | 'unpaired';

export interface CardAgentClientOptions {
  /** `ws://127.0.0.1:<port>` */
  url: string;
  /** The pairing token the agent was started with (`--token`). */
  token: string;
  /** Called for every event after pairing. */
  onEvent?: (event: AgentEventName, reader: string) => void;
  /** Called once when the connection ends (after `connect()` resolved or failed). */
  onClose?: (reason: CloseReason) => void;
  /** Per-request timeout (default 60 s: a PIN operation on a slow reader takes a few seconds). */
  requestTimeoutMs?: number;
  /** How long to wait for the agent's `ready` (default 5 s). */
  connectTimeoutMs?: number;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * One WebSocket connection to the kiosk card agent (packages/card-agent).
 *
 * @example
 * ```ts
 * const client = new CardAgentClient({ url: 'ws://127.0.0.1:48771', token, onEvent: (e, r) => console.log(e, r) });
 * const readers = await client.connect();
 * const { certificate, signature } = await client.authenticate({ challenge, pin: '1234' });
 * client.close();
 * ```
 */
export class CardAgentClient {
  private ws: WebSocket | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;
  private reason: CloseReason = 'closed';

  constructor(private readonly opts: CardAgentClientOptions) {}

  /** Opens the socket, sends `hello` and resolves with the readers of the agent's `ready`. */
  connect(): Promise<AgentReader[]> {
    return new Promise<AgentReader[]>((resolve, reject) => {
      let ready = false;
      let ws: WebSocket;
      try {
        ws = new WebSocket(this.opts.url);
      } catch {
        reject(CardAgentError.local('agent-unavailable'));
        return;
      }
      this.ws = ws;
      const timer = setTimeout(() => {
        if (!ready) {
          reject(CardAgentError.local('agent-unavailable'));
          ws.close();
        }
      }, this.opts.connectTimeoutMs ?? 5000);

      ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', token: this.opts.token }));
      ws.onmessage = (e: MessageEvent) => {
        let frame: AgentFrame;
        try {
          frame = JSON.parse(String(e.data)) as AgentFrame;
        } catch {
          return;
        }
        if ('type' in frame) {
          if (frame.type === 'ready') {
            ready = true;
            clearTimeout(timer);
            resolve(frame.readers);
          } else if (frame.type === 'event') {
            this.opts.onEvent?.(frame.event, frame.reader);
          }
          return;
        }
        if (frame.id === null) {
          // An error about the connection itself (pairing refused).
          if (frame.ok) return;
          if (frame.error.code === 'not-paired') this.reason = 'unpaired';
          if (!ready) {
            clearTimeout(timer);
            reject(new CardAgentError(frame.error));
          }
          return;
        }
        const p = this.pending.get(frame.id);
        if (!p) return;
        this.pending.delete(frame.id);
        clearTimeout(p.timer);
        if (frame.ok) p.resolve(frame.result);
        else p.reject(new CardAgentError(frame.error as AgentErrorBody));
      };
      ws.onclose = (e: CloseEvent) => {
        clearTimeout(timer);
        if (e.code === 4401) this.reason = 'unpaired';
        if (!ready) reject(this.reason === 'unpaired' ? new CardAgentError({ code: 'not-paired', messages: { ja: 'カードリーダーとの接続が認証されていません。', en: 'The page has not paired with the card agent.' } }) : CardAgentError.local('agent-unavailable'));
        this.finish();
      };
      ws.onerror = () => {
        // onclose follows and settles everything
      };
    });
  }

  private finish() {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(CardAgentError.local('agent-unavailable'));
    }
    this.pending.clear();
    this.opts.onClose?.(this.reason);
  }

  /** Sends one request and resolves with its result; rejects with {@link CardAgentError}. */
  request<T>(req: AgentRequest): Promise<T> {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN || this.closed) return Promise.reject(CardAgentError.local('agent-unavailable'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(CardAgentError.local('timeout'));
      }, this.opts.requestTimeoutMs ?? 60_000);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      ws.send(JSON.stringify({ id, ...req }));
    });
  }

  readers(): Promise<AgentReader[]> {
    return this.request<{ readers: AgentReader[] }>({ op: 'readers' }).then((r) => r.readers);
  }

  /** Reads the user-authentication certificate (no PIN). */
  identify(args: { reader?: string } = {}): Promise<IdentifyResult> {
    return this.request<IdentifyResult>({ op: 'identify', ...args });
  }

  /** Signs `challenge` (base64url) with the user-authentication key after the 4-digit PIN. */
  authenticate(args: { reader?: string; challenge: string; pin: string; allowLastTry?: boolean }): Promise<AuthenticateResult> {
    return this.request<AuthenticateResult>({ op: 'authenticate', ...args });
  }

  /** Reads the basic four after the 4-digit 券面事項入力補助用 PIN. */
  readBasicFour(args: { reader?: string; pin: string; allowLastTry?: boolean }): Promise<BasicFour> {
    return this.request<BasicFour>({ op: 'readBasicFour', ...args });
  }

  close(): void {
    this.ws?.close(1000, 'page closed');
    this.finish();
  }
}

import type { ShelterServiceDeps } from '../deps.js';
import type { ShelterHqService } from './service.js';
import { decodeShelterChanges, SHELTER_CHANNEL, type ShelterChange } from './notify.js';

/** How long changes are gathered before summaries are computed: a busy check-in desk makes bursts. */
export const COALESCE_MS = 50;
/** A comment line keeps proxies and load balancers from closing an idle stream. */
export const PING_MS = 20_000;

/** Writes one ready-made Server-Sent Events frame to a client. */
export type SseSend = (frame: string) => void;

interface Subscriber {
  send: SseSend;
  /** Called when the hub closes (server shutdown): end the response. */
  end?: () => void;
}

/** One Server-Sent Events frame. `data` is a single line of JSON, so no line splitting is needed. */
export function sseFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Fans shelter changes out to HQ dashboards. Every writing transaction NOTIFYs SHELTER_CHANNEL
 * (notify.ts); each server instance LISTENs on its own connection, gathers the changes for
 * COALESCE_MS, computes each changed shelter's summary ONCE and writes the same frame to every
 * subscriber of the host municipality. The evacuee's home municipality (joint use) and changes
 * outside shelters get an `elsewhere` frame: the dashboard refetches the overview for those parts.
 * After the listening connection was lost and made again, every subscriber gets a `resync` frame:
 * changes may have been missed, so the dashboard refetches the whole overview.
 */
export class ShelterLiveHub {
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  private readonly pendingShelters = new Map<string, Set<string>>();
  private readonly pendingElsewhere = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private pinger: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private closed = false;

  constructor(
    readonly deps: ShelterServiceDeps,
    // The snapshot hooks are optional: a hub may serve a view that keeps no snapshot.
    readonly peers: { hq: Pick<ShelterHqService, 'summaries'> & Partial<Pick<ShelterHqService, 'trackChanges' | 'staysChanged'>> },
  ) {}

  /** Starts listening for stay changes (PostgreSQL LISTEN / PGlite listen). */
  async start(): Promise<void> {
    if (this.unlisten || this.closed) return;
    this.unlisten = await this.deps.db.listen(SHELTER_CHANNEL, (payload) => this.received(payload), {
      // The listening connection dropped (database restart, terminated backend): changes go unseen, so
      // no snapshot may be kept; once listening again, every dashboard re-reads the overview.
      lost: () => this.peers.hq.trackChanges?.(false),
      resumed: () => {
        if (this.closed) return;
        this.peers.hq.trackChanges?.(true);
        for (const code of this.subscribers.keys()) this.broadcast(code, sseFrame('resync', {}));
      },
    });
    // From here on every change reaches staysChanged: the HQ view may keep its aggregate snapshots.
    this.peers.hq.trackChanges?.(true);
  }

  /** Releases the listening connection and ends every stream (so servers and tests exit promptly). */
  async close(): Promise<void> {
    this.closed = true;
    this.peers.hq.trackChanges?.(false);
    if (this.timer) clearTimeout(this.timer);
    if (this.pinger) clearInterval(this.pinger);
    this.timer = this.pinger = undefined;
    const unlisten = this.unlisten;
    this.unlisten = undefined;
    await unlisten?.().catch(() => {});
    await this.flushing;
    this.endAll();
  }

  /** Ends every subscriber's stream (Fastify preClose: open streams would hold the server open). */
  endAll(): void {
    const all = [...this.subscribers.values()].flatMap((s) => [...s]);
    this.subscribers.clear();
    for (const s of all) {
      try { s.end?.(); } catch { /* already gone */ }
    }
  }

  /** Receives the municipality's frames until the returned function is called. */
  subscribe(code: string, send: SseSend, end?: () => void): () => void {
    const sub: Subscriber = { send, end };
    let set = this.subscribers.get(code);
    if (!set) this.subscribers.set(code, (set = new Set()));
    set.add(sub);
    this.pinger ??= setInterval(() => this.ping(), PING_MS).unref();
    return () => {
      const s = this.subscribers.get(code);
      if (!s?.delete(sub)) return;
      if (s.size === 0) this.subscribers.delete(code);
      if (this.subscribers.size === 0 && this.pinger) {
        clearInterval(this.pinger);
        this.pinger = undefined;
      }
    };
  }

  /** How many streams are open for `code` (or in all). */
  subscriberCount(code?: string): number {
    if (code) return this.subscribers.get(code)?.size ?? 0;
    let n = 0;
    for (const s of this.subscribers.values()) n += s.size;
    return n;
  }

  private received(payload: string): void {
    for (const change of decodeShelterChanges(payload)) {
      // Whether or not anyone here watches: the next overview must not come from before this change.
      this.peers.hq.staysChanged?.(change);
      this.receivedOne(change);
    }
  }

  private receivedOne(change: ShelterChange): void {
    if (this.closed) return;
    // Nobody watching on this instance: nothing to compute (a dashboard that connects later fetches the overview).
    if (this.subscribers.has(change.host)) {
      if (change.shelterId) {
        let ids = this.pendingShelters.get(change.host);
        if (!ids) this.pendingShelters.set(change.host, (ids = new Set()));
        ids.add(change.shelterId);
      } else {
        this.pendingElsewhere.add(change.host);
      }
    }
    if (change.home && change.home !== change.host && this.subscribers.has(change.home)) this.pendingElsewhere.add(change.home);
    if (this.pendingShelters.size + this.pendingElsewhere.size > 0) this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // One flush at a time: changes arriving meanwhile wait for the next window.
      const previous = this.flushing ?? Promise.resolve();
      const run = previous.then(() => this.flush());
      this.flushing = run;
      void run.finally(() => { if (this.flushing === run) this.flushing = undefined; });
    }, COALESCE_MS);
    this.timer.unref();
  }

  private async flush(): Promise<void> {
    const shelters = [...this.pendingShelters.entries()];
    const elsewhere = [...this.pendingElsewhere];
    this.pendingShelters.clear();
    this.pendingElsewhere.clear();
    for (const code of elsewhere) this.broadcast(code, sseFrame('elsewhere', {}));
    await Promise.all(shelters.map(async ([code, ids]) => {
      try {
        const summaries = await this.peers.hq.summaries(code, [...ids]);
        for (const s of summaries) this.broadcast(code, sseFrame('shelter', s));
      } catch (err) {
        // The dashboard misses one update (the next change or a reload repairs it); the hub keeps going.
        if (!this.closed) process.emitWarning(`shelter live update for ${code} failed: ${String(err)}`);
      }
    }));
  }

  private broadcast(code: string, frame: string): void {
    for (const s of this.subscribers.get(code) ?? []) {
      try { s.send(frame); } catch { /* a broken stream is removed by its own close handler */ }
    }
  }

  private ping(): void {
    for (const code of this.subscribers.keys()) this.broadcast(code, ': ping\n\n');
  }
}

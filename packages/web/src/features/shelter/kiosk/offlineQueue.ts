import { openDB, type IDBPDatabase } from 'idb';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { ProblemError, isProblemError, request, type Problem } from '../../../api/api';

/**
 * The kiosk's outbox: every check-in and movement is written to IndexedDB BEFORE it is sent, so a
 * lost network (or a server restart) never loses a person who was received at the door. Items are
 * sent one at a time in creation order; the idempotency key makes a resend after an unknown outcome
 * safe (the server answers 200 created=false for a replay).
 */
export interface QueuedRequest {
  idempotencyKey: string;
  createdAt: string;
  kind: 'check-in' | 'movement';
  /** The API path (POST). */
  path: string;
  request: { idempotencyKey: string } & Record<string, unknown>;
  /** What staff see in the list (a name or "card"), kept only on this device until sent. */
  label: string;
  /** waiting: will be (re)sent; attention: the server refused it, staff must decide. */
  state: 'waiting' | 'attention';
  problem?: Problem & { status?: number };
  attempts: number;
}

export type SendOutcome =
  | { outcome: 'sent'; response: unknown }
  | { outcome: 'waiting' }
  | { outcome: 'attention'; error: ProblemError };

const DB_NAME = 'kazashi-shelter-kiosk';
const STORE = 'outbox';

/** Answers that mean "not reached / try again later": the request stays queued. */
function transient(e: unknown): boolean {
  if (!isProblemError(e)) return true;
  return e.status === 0 || e.status === 401 || e.status === 408 || e.status === 429 || e.status >= 500;
}

const BACKOFF_MIN_MS = 1000;
const BACKOFF_MAX_MS = 8000;

class OfflineQueue {
  private db: Promise<IDBPDatabase> | null = null;
  private items: QueuedRequest[] = [];
  private listeners = new Set<() => void>();
  private waiters = new Map<string, (o: SendOutcome) => void>();
  private running = false;
  private again = false;
  private backoffMs = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private loaded: Promise<void> | null = null;

  private open(): Promise<IDBPDatabase> {
    this.db ??= openDB(DB_NAME, 1, {
      upgrade(db) {
        db.createObjectStore(STORE, { keyPath: 'idempotencyKey' });
      },
    });
    return this.db;
  }

  /** Loads what an earlier session left and starts sending it. */
  start(): Promise<void> {
    this.loaded ??= (async () => {
      const db = await this.open();
      this.items = ((await db.getAll(STORE)) as QueuedRequest[]).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      this.emit();
      window.addEventListener('online', () => this.retryNow());
      void this.kick();
    })();
    return this.loaded;
  }

  subscribe = (fn: () => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };
  snapshot = () => this.items;

  private emit() {
    this.items = [...this.items];
    this.listeners.forEach((f) => f());
  }

  private async save(item: QueuedRequest) {
    await (await this.open()).put(STORE, item);
    const i = this.items.findIndex((x) => x.idempotencyKey === item.idempotencyKey);
    if (i >= 0) this.items[i] = item;
    else this.items.push(item);
    this.emit();
  }

  async remove(key: string) {
    await (await this.open()).delete(STORE, key);
    this.items = this.items.filter((x) => x.idempotencyKey !== key);
    this.emit();
  }

  /**
   * Stores the request, then tries to send it (unless a retry is already scheduled: the queue keeps
   * its order). Resolves with what happened to THIS request in this attempt.
   */
  async enqueue(input: Pick<QueuedRequest, 'kind' | 'path' | 'request' | 'label'>): Promise<SendOutcome> {
    await this.start();
    const item: QueuedRequest = {
      ...input,
      idempotencyKey: input.request.idempotencyKey,
      createdAt: new Date().toISOString(),
      state: 'waiting',
      attempts: 0,
    };
    await this.save(item);
    if (this.timer !== null || (typeof navigator !== 'undefined' && navigator.onLine === false)) return { outcome: 'waiting' };
    const done = new Promise<SendOutcome>((resolve) => this.waiters.set(item.idempotencyKey, resolve));
    void this.kick();
    return done;
  }

  /** Sends an attention item again, changed (e.g. acceptFull) or not. */
  async resend(key: string, patch: Record<string, unknown>): Promise<SendOutcome> {
    const item = this.items.find((x) => x.idempotencyKey === key);
    if (!item) return { outcome: 'waiting' };
    await this.save({ ...item, request: { ...item.request, ...patch }, state: 'waiting', problem: undefined });
    const done = new Promise<SendOutcome>((resolve) => this.waiters.set(key, resolve));
    this.retryNow();
    return done;
  }

  retryNow() {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    void this.kick();
  }

  private settle(key: string, o: SendOutcome) {
    const w = this.waiters.get(key);
    this.waiters.delete(key);
    w?.(o);
  }

  private async kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        await this.drain();
      } while (this.again && this.timer === null);
    } finally {
      this.running = false;
    }
  }

  /** Sends the waiting items in order; stops at the first network-type failure and schedules a retry. */
  private async drain() {
    for (;;) {
      const item = this.items.find((x) => x.state === 'waiting');
      if (!item) {
        this.backoffMs = 0;
        return;
      }
      try {
        const response = await request<unknown>('POST', item.path, { body: item.request });
        await this.remove(item.idempotencyKey);
        this.backoffMs = 0;
        this.settle(item.idempotencyKey, { outcome: 'sent', response });
      } catch (e) {
        if (e instanceof DOMException && e.name === 'AbortError') return;
        if (transient(e)) {
          await this.save({ ...item, attempts: item.attempts + 1 });
          // Everything still waiting answers "queued" now; they go with the next attempt.
          for (const key of [...this.waiters.keys()]) this.settle(key, { outcome: 'waiting' });
          this.backoffMs = Math.min(BACKOFF_MAX_MS, this.backoffMs ? this.backoffMs * 2 : BACKOFF_MIN_MS);
          this.timer = setTimeout(() => {
            this.timer = null;
            void this.kick();
          }, this.backoffMs);
          return;
        }
        const pe = e as ProblemError;
        await this.save({ ...item, state: 'attention', attempts: item.attempts + 1, problem: { ...pe.problem, status: pe.status } });
        this.settle(item.idempotencyKey, { outcome: 'attention', error: pe });
      }
    }
  }
}

export const offlineQueue = new OfflineQueue();

/** The queue's items, live. */
export function useOfflineQueue(): QueuedRequest[] {
  useEffect(() => {
    void offlineQueue.start();
  }, []);
  return useSyncExternalStore(offlineQueue.subscribe, offlineQueue.snapshot);
}

/** navigator.onLine, live (a hint only: a "connected" LAN may still not reach the server). */
export function useOnline(): boolean {
  const [online, setOnline] = useState(typeof navigator === 'undefined' ? true : navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

export function problemOf(item: QueuedRequest): ProblemError {
  return new ProblemError(item.problem?.status ?? 400, item.problem ?? {});
}

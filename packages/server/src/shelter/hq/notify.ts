import { sql } from 'drizzle-orm';
import type { Database, Tx } from '../../kernel/db/engine.js';

/** The channel every change of shelter occupancy or status is announced on (LISTEN/NOTIFY). */
export const SHELTER_CHANNEL = 'kazashi_shelter';

/** What changed: the host municipality, the evacuee's own (joint use), and the shelter (null: outside). */
export interface ShelterChange {
  host: string;
  home: string | null;
  shelterId: string | null;
}

/**
 * Announces a change inside the writing transaction: PostgreSQL delivers it on commit only, to every
 * server instance listening, so dashboards never see a change that was rolled back.
 */
export async function notifyShelterChange(tx: Tx, change: ShelterChange): Promise<void> {
  await tx.execute(sql`select pg_notify(${SHELTER_CHANNEL}, ${encodeShelterChange(change)})`);
}

export function encodeShelterChange(c: ShelterChange): string {
  return `${c.host}|${c.home ?? ''}|${c.shelterId ?? ''}`;
}

export function decodeShelterChange(payload: string): ShelterChange | undefined {
  const [host, home, shelterId] = payload.split('|');
  if (!host || !/^\d{6}$/.test(host)) return undefined;
  return { host, home: home || null, shelterId: shelterId || null };
}

/** Several changes in one NOTIFY payload (PostgreSQL caps a payload at 8000 bytes). */
export function decodeShelterChanges(payload: string): ShelterChange[] {
  return payload.split(';').map(decodeShelterChange).filter((c): c is ShelterChange => !!c);
}

const MAX_PAYLOAD = 7000;

/**
 * Announces check-ins after they commit, batched. A NOTIFY inside a transaction takes a database-wide
 * lock at commit that serialises every notifying transaction; at hundreds of check-ins a second that
 * lock, not the work, sets the pace. So the hot path commits without it and this publisher sends one
 * NOTIFY per window for everything that changed. If the instance dies inside the window, dashboards
 * miss that update until the next change or their reconnect refetch.
 */
export class ShelterChangePublisher {
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private retryMs = 0;
  private closed = false;

  constructor(private readonly db: Database, private readonly windowMs = 20, private readonly onError: (e: unknown) => void = () => {}) {}

  publish(change: ShelterChange): void {
    this.pending.add(encodeShelterChange(change));
    this.schedule(this.windowMs);
  }

  private schedule(ms: number): void {
    if (this.closed) return;
    this.timer ??= setTimeout(() => { this.timer = undefined; this.flushing = this.flushing.then(() => this.flush()); }, ms);
  }

  private async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const items = [...this.pending];
    this.pending.clear();
    const payloads: string[] = [];
    let cur = '';
    for (const it of items) {
      if (cur && cur.length + it.length + 1 > MAX_PAYLOAD) { payloads.push(cur); cur = ''; }
      cur = cur ? `${cur};${it}` : it;
    }
    if (cur) payloads.push(cur);
    try {
      await this.db.tenant({ municipalityCode: null }, async (tx) => {
        for (const p of payloads) await tx.execute(sql`select pg_notify(${SHELTER_CHANNEL}, ${p})`);
      });
      this.retryMs = 0;
    } catch (e) {
      this.onError(e);
      // The database is away (the changes themselves are committed): announce them once it is back,
      // with what changed meanwhile. Retried with back-off, so an outage costs one attempt per few seconds.
      for (const it of items) this.pending.add(it);
      this.retryMs = Math.min(Math.max(this.retryMs * 2, 250), 5_000);
      this.schedule(this.retryMs);
    }
  }

  /** Sends what is pending (server shutdown); one attempt, nothing is retried after it. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    await this.flushing;
    await this.flush();
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
  }
}

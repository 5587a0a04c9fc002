import { sql } from 'drizzle-orm';
import { afterCommit, type Database, type Tx } from '../db/engine.js';

/** The channel a committed enqueue is announced on, so that an idle worker starts at once. */
export const JOBS_CHANNEL = 'kazashi_jobs';

export interface Job<P = Record<string, unknown>> {
  id: number;
  queue: string;
  /** The tenant the job acts for (null: the platform itself). */
  municipalityCode: string | null;
  payload: P;
  /** 1 on the first run. */
  attempts: number;
  maxAttempts: number;
}

export type JobHandler<P = Record<string, unknown>> = (job: Job<P>) => Promise<void>;

export interface EnqueueOptions {
  /** The tenant the job acts for; must be the enqueuing transaction's own, or none. */
  municipalityCode?: string | null;
  /** At most one live job per queue and key: enqueueing the same key again is a no-op (until it is done). */
  key?: string;
  /** With `key`: a no-op also after the keyed job has run (a period that ran once must not run again). */
  onceEver?: boolean;
  /** Not before this time. */
  runAt?: Date;
  /** Attempts before the job is given up (default 10). */
  maxAttempts?: number;
}

export interface WorkOptions {
  /** Jobs of this queue running at once in this process (default 1). */
  concurrency?: number;
  /** How long a claimed job is this worker's; past it, another worker may take it (default 60 s). */
  leaseMs?: number;
  /** Delay before retry `attempt` (default: 1 s, doubling, at most 10 min). */
  backoffMs?: (attempt: number) => number;
}

interface Worker {
  handler: JobHandler;
  concurrency: number;
  leaseMs: number;
  backoffMs: (attempt: number) => number;
  running: number;
  ticking: boolean;
  again: boolean;
}

const defaultBackoff = (attempt: number) => Math.min(1000 * 2 ** (attempt - 1), 10 * 60_000);

/**
 * A durable job queue and outbox on the platform database, the same on PGlite and PostgreSQL (no
 * job library runs on both): `enqueue` inside a transaction makes the job exist exactly when that
 * transaction commits; every process that `work`s a queue claims due jobs with row locks skipped by
 * the others, runs them, and settles them (done, or retried with back-off, or given up after
 * `maxAttempts`). A committed enqueue wakes workers through LISTEN/NOTIFY; a poll catches delayed
 * jobs and expired leases. Handlers must tolerate running twice (a worker may die after the work
 * and before settling): they act through idempotent writes, as everything here does.
 */
export class JobQueue {
  private readonly workers = new Map<string, Worker>();
  private readonly timers: NodeJS.Timeout[] = [];
  private unlisten: (() => Promise<void>) | undefined;
  private started = false;
  private closed = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly db: Database, private readonly opts: { pollMs?: number; onError?: (e: unknown, queue: string) => void } = {}) {}

  /** Enqueues inside the caller's tenant transaction (the outbox: the job commits with the work). */
  async enqueue(tx: Tx, queue: string, payload: Record<string, unknown> = {}, o: EnqueueOptions = {}): Promise<void> {
    const ever = o.onceEver && o.key ? sql`where not exists (select 1 from kernel_job k where k.queue = ${queue} and k.job_key = ${o.key})` : sql``;
    await tx.execute(sql`insert into kernel_job (queue, municipality_code, payload, job_key, run_at, max_attempts)
      select ${queue}, ${o.municipalityCode ?? null}, ${JSON.stringify(payload)}::jsonb, ${o.key ?? null},
        ${(o.runAt ?? new Date()).toISOString()}::timestamptz, ${o.maxAttempts ?? 10} ${ever}
      on conflict (queue, job_key) where job_key is not null and done_at is null and failed_at is null do nothing`);
    afterCommit(() => this.announce(queue));
  }

  /** Enqueues in a transaction of its own, acting for the job's tenant. */
  enqueueNow(queue: string, payload: Record<string, unknown> = {}, o: EnqueueOptions = {}): Promise<void> {
    return this.db.tenant({ municipalityCode: o.municipalityCode ?? null }, (tx) => this.enqueue(tx, queue, payload, o));
  }

  /** Runs `handler` for the queue's jobs in this process (from `start` on). */
  work<P = Record<string, unknown>>(queue: string, handler: JobHandler<P>, o: WorkOptions = {}): void {
    if (this.workers.has(queue)) throw new Error(`job queue ${queue} has a worker already`);
    this.workers.set(queue, {
      handler: handler as JobHandler, concurrency: o.concurrency ?? 1, leaseMs: o.leaseMs ?? 60_000,
      backoffMs: o.backoffMs ?? defaultBackoff, running: 0, ticking: false, again: false,
    });
    if (this.started) this.tick(queue);
  }

  /**
   * A periodic task: every `everyMs` one job of `queue` runs somewhere (each process enqueues it
   * for the current period under the same key, so a period runs once however many processes there are).
   */
  every(queue: string, everyMs: number, handler: () => Promise<void>): void {
    this.work(queue, () => handler());
    const enqueue = () => {
      const period = Math.floor(Date.now() / everyMs);
      this.enqueueNow(queue, {}, { key: `every:${period}`, onceEver: true, maxAttempts: 1 }).catch((e) => this.opts.onError?.(e, queue));
    };
    const t = setInterval(enqueue, everyMs);
    t.unref();
    this.timers.push(t);
    if (this.started) enqueue();
    else this.pendingPeriodic.push(enqueue);
  }

  private readonly pendingPeriodic: (() => void)[] = [];

  /** Starts claiming: listens for enqueues and polls for delayed jobs. */
  async start(): Promise<void> {
    if (this.started || this.closed) return;
    this.started = true;
    this.unlisten = await this.db.listen(JOBS_CHANNEL, (queue) => { if (this.workers.has(queue)) this.tick(queue); }, {
      resumed: () => { for (const q of this.workers.keys()) this.tick(q); },
    });
    const poll = setInterval(() => { for (const q of this.workers.keys()) this.tick(q); }, this.opts.pollMs ?? 1000);
    poll.unref();
    this.timers.push(poll);
    for (const enqueue of this.pendingPeriodic.splice(0)) enqueue();
    for (const q of this.workers.keys()) this.tick(q);
  }

  /** Stops claiming and waits for the jobs running here. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    await this.unlisten?.().catch(() => {});
    await Promise.allSettled([...this.inFlight]);
  }

  /** Runs every due job of `queue` (or of every queue worked here) until none is left: tests, the CLI. */
  async drain(queue?: string): Promise<void> {
    const queues = queue ? [queue] : [...this.workers.keys()];
    for (;;) {
      let ran = 0;
      for (const q of queues) ran += await this.claimAndRun(q);
      await Promise.allSettled([...this.inFlight]);
      if (ran === 0) return;
    }
  }

  private announce(queue: string): void {
    if (this.closed) return;
    // Other processes hear the NOTIFY; this one need not wait for it.
    if (this.started && this.workers.has(queue)) this.tick(queue);
    this.db.lookup((d) => d.execute(sql`select pg_notify(${JOBS_CHANNEL}, ${queue})`)).catch(() => { /* the poll finds it */ });
  }

  private tick(queue: string): void {
    const w = this.workers.get(queue);
    if (!w || this.closed || !this.started) return;
    if (w.ticking) {
      w.again = true;
      return;
    }
    w.ticking = true;
    void this.claimAndRun(queue)
      .catch((e) => this.opts.onError?.(e, queue))
      .finally(() => {
        w.ticking = false;
        if (w.again) {
          w.again = false;
          this.tick(queue);
        }
      });
  }

  /** Claims what this process has room for and starts it; returns how many it claimed. */
  private async claimAndRun(queue: string): Promise<number> {
    const w = this.workers.get(queue);
    if (!w) throw new Error(`no worker for job queue ${queue}`);
    const room = w.concurrency - w.running;
    if (room <= 0) return 0;
    const res = (await this.db.lookup((d) => d.execute(sql`select * from kazashi_job_claim(${queue}, ${room}, ${w.leaseMs})`))) as unknown as {
      rows: { id: string | number; municipality_code: string | null; payload: unknown; attempts: number; max_attempts: number }[];
    };
    for (const r of res.rows) {
      const job: Job = {
        id: Number(r.id), queue, municipalityCode: r.municipality_code, attempts: Number(r.attempts), maxAttempts: Number(r.max_attempts),
        payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>,
      };
      w.running++;
      const run = this.runOne(w, job).finally(() => {
        w.running--;
        this.inFlight.delete(run);
        // Room again: more may be waiting.
        if (this.started) this.tick(queue);
      });
      this.inFlight.add(run);
    }
    return res.rows.length;
  }

  private async runOne(w: Worker, job: Job): Promise<void> {
    let error: unknown;
    try {
      await w.handler(job);
    } catch (e) {
      error = e;
      this.opts.onError?.(e, job.queue);
    }
    const retryAt = error ? new Date(Date.now() + w.backoffMs(job.attempts)).toISOString() : null;
    const message = error ? (error instanceof Error ? error.message : String(error)) : null;
    // If settling fails (database away), the lease runs out and the job is claimed again.
    await this.db.lookup((d) => d.execute(sql`select kazashi_job_settle(${job.id}, ${!error}, ${message}, ${retryAt}::timestamptz)`)).catch((e) => this.opts.onError?.(e, job.queue));
  }
}

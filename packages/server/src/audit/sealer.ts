import { sql } from 'drizzle-orm';
import type { Database } from '../kernel/db/engine.js';

/** Entries sealed per statement: a burst is sealed in a few short statements, never one long one. */
const BATCH = 500;
/** Entries left pending (an instance that died after committing, a sealing that failed) are swept up this often. */
export const SWEEP_MS = 1_000;
/**
 * Under load, how long the next run waits after one ends, gathering what else commits meanwhile: one
 * run then seals the entries of many requests instead of a few (fewer statements, fewer turns of the
 * chain lock), entries staying pending this much longer. A kick that finds its sealer idle seals at once.
 */
export const SEAL_DELAY_MS = 20;

/**
 * Seals committed audit entries into each municipality's hash chain (kazashi_audit_seal, migration
 * 0016), off the request path: a request that wrote an entry kicks its municipality's sealer once it
 * has committed, and requests of one municipality never wait for each other's chain. One sealing
 * runs per municipality at a time in this process (the database lock also orders instances); kicks
 * arriving meanwhile are served by one more run after it, which seals everything committed by then.
 */
export class AuditSealer {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private sweeper: NodeJS.Timeout | undefined;
  private closed = false;
  /** Entries sealed and statements run so far (tests, benchmarks). */
  readonly stats = { sealed: 0, runs: 0, failures: 0 };

  constructor(
    private readonly db: Database,
    private readonly onError: (e: unknown) => void = () => {},
    private readonly delayMs = SEAL_DELAY_MS,
  ) {}

  /** Seal `code`'s pending entries soon: at once when idle, else by one more run after this one. */
  kick(code: string, afterRun = false): void {
    if (this.closed) return;
    if (this.running.has(code)) {
      this.again.add(code);
      return;
    }
    // Kicked while a run was going: wait a moment, so that the next run takes everything meanwhile.
    const waited = afterRun && this.delayMs > 0 ? new Promise<void>((r) => setTimeout(r, this.delayMs)) : Promise.resolve();
    const run = waited.then(() => {
      // Kicks until now are served by this run.
      this.again.delete(code);
      return this.sealAll(code);
    }).finally(() => {
      this.running.delete(code);
      if (this.again.delete(code)) this.kick(code, true);
    });
    this.running.set(code, run);
  }

  /** Everything pending now is sealed when this resolves (tests, the CLI, shutdown). */
  async flush(code?: string): Promise<void> {
    const codes = code ? [code] : (await this.pending()).map((p) => p.municipalityCode);
    for (const c of codes) {
      await this.running.get(c)?.catch(() => {});
      await this.sealAll(c);
    }
  }

  /** Municipalities with entries waiting, how many, and since when. */
  async pending(): Promise<{ municipalityCode: string; waiting: number; oldest: string }[]> {
    const res = (await this.db.lookup((db) => db.execute(sql`select * from kazashi_audit_pending_codes()`))) as unknown as {
      rows: { municipality_code: string; waiting: string | number; oldest: string | Date }[];
    };
    return res.rows.map((r) => ({ municipalityCode: r.municipality_code, waiting: Number(r.waiting), oldest: new Date(r.oldest).toISOString() }));
  }

  /** Starts the periodic sweep for entries no kick reached (and seals what is pending now). */
  start(): void {
    if (this.sweeper || this.closed) return;
    const sweep = () => {
      this.pending().then((ps) => { for (const p of ps) this.kick(p.municipalityCode); }, (e) => { this.stats.failures++; this.onError(e); });
    };
    sweep();
    this.sweeper = setInterval(sweep, SWEEP_MS);
    this.sweeper.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    await Promise.all([...this.running.values()].map((r) => r.catch(() => {})));
  }

  private async sealAll(code: string): Promise<void> {
    try {
      for (;;) {
        this.stats.runs++;
        // One statement, outside any transaction: the chain lock is held only while it runs.
        const res = (await this.db.lookup((db) => db.execute(sql`select kazashi_audit_seal(${code}, ${BATCH}) as n`))) as unknown as { rows: { n: number }[] };
        const n = Number(res.rows[0]?.n ?? 0);
        this.stats.sealed += n;
        if (n < BATCH) return;
      }
    } catch (e) {
      // The database is away: the entries stay pending, committed; the sweep seals them later.
      this.stats.failures++;
      this.onError(e);
    }
  }
}

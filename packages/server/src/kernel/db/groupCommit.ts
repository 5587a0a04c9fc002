/**
 * Group commit for a hot write path: requests that arrive while earlier ones of the same group are
 * being written wait, then go to the database together in one transaction. Nothing waits on a timer:
 * a request that finds its group idle runs at once (alone, at low load); under load each finished
 * transaction hands everything queued meanwhile to the next ones, split evenly over the free slots,
 * which trades a little latency for far fewer round trips, statements and WAL flushes.
 *
 * `runBatch` settles every entry it is given (resolve or reject); an entry it leaves unsettled is
 * rejected so that no caller hangs.
 */
export interface BatchEntry<T, R> {
  item: T;
  resolve(value: R): void;
  reject(error: unknown): void;
}

export interface GroupCommitOptions {
  /** Most items written in one transaction. */
  maxBatch: number;
  /** Transactions of one group in flight at once (the rest of the pool serves everything else). */
  maxInFlight: number;
}

interface Group<T, R> {
  queue: BatchEntry<T, R>[];
  inFlight: number;
}

export class GroupCommitQueue<T, R> {
  private readonly groups = new Map<string, Group<T, R>>();
  /** Batch sizes written so far (for the benchmark's figures). */
  readonly stats = { batches: 0, items: 0, largest: 0 };

  constructor(
    private readonly runBatch: (group: string, entries: BatchEntry<T, R>[]) => Promise<void>,
    private readonly options: GroupCommitOptions,
  ) {
    if (!(options.maxBatch >= 1) || !(options.maxInFlight >= 1)) throw new Error('group commit: maxBatch and maxInFlight must be at least 1');
  }

  submit(group: string, item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      let g = this.groups.get(group);
      if (!g) this.groups.set(group, (g = { queue: [], inFlight: 0 }));
      g.queue.push({ item, resolve, reject });
      // While a transaction of the group is running, wait for it: starting a second one for a single
      // request would leave the queue behind it growing, and cost a whole transaction for one item.
      if (g.inFlight === 0) this.drain(group, g);
    });
  }

  private drain(group: string, g: Group<T, R>): void {
    const free = this.options.maxInFlight - g.inFlight;
    const share = Math.min(this.options.maxBatch, Math.ceil(g.queue.length / Math.max(1, free)));
    while (g.queue.length > 0 && g.inFlight < this.options.maxInFlight) {
      const entries = g.queue.splice(0, share);
      g.inFlight++;
      this.stats.batches++;
      this.stats.items += entries.length;
      this.stats.largest = Math.max(this.stats.largest, entries.length);
      void this.runOne(group, entries).finally(() => {
        g.inFlight--;
        if (g.queue.length > 0) this.drain(group, g);
        else if (g.inFlight === 0) this.groups.delete(group);
      });
    }
  }

  private async runOne(group: string, entries: BatchEntry<T, R>[]): Promise<void> {
    // Settle each entry once; whatever runBatch leaves open (or a throw) becomes a rejection.
    const settled = new Set<BatchEntry<T, R>>();
    const guarded = entries.map((e) => ({
      item: e.item,
      resolve: (v: R) => { if (!settled.has(e)) { settled.add(e); e.resolve(v); } },
      reject: (err: unknown) => { if (!settled.has(e)) { settled.add(e); e.reject(err); } },
    }));
    try {
      await this.runBatch(group, guarded);
    } catch (err) {
      for (const e of guarded) e.reject(err);
      return;
    }
    for (const e of guarded) e.reject(new Error('group commit: entry left unsettled by its batch'));
  }
}

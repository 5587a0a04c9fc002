import { describe, expect, it } from 'vitest';
import { GroupCommitQueue, type BatchEntry } from './groupCommit.js';

/** A runBatch that records its batches and finishes each only when the test says so. */
function recorder() {
  const batches: { group: string; items: number[]; finish: () => void }[] = [];
  const run = (group: string, entries: BatchEntry<number, number>[]) => new Promise<void>((done) => {
    batches.push({
      group, items: entries.map((e) => e.item),
      finish: () => { for (const e of entries) e.resolve(e.item * 10); done(); },
    });
  });
  return { batches, run };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('GroupCommitQueue', () => {
  it('runs alone when the group is idle; queues behind a running batch, then splits the queue over the free slots', async () => {
    const r = recorder();
    const q = new GroupCommitQueue(r.run, { maxBatch: 100, maxInFlight: 2 });
    const answers = [1, 2, 3, 4, 5].map((n) => q.submit('282227', n));
    await tick();
    expect(r.batches.map((b) => b.items)).toEqual([[1]]);
    r.batches[0]!.finish();
    await tick();
    expect(r.batches.map((b) => b.items)).toEqual([[1], [2, 3], [4, 5]]);
    // One slot frees while the other is busy: it takes everything queued since.
    const more = [6, 7, 8].map((n) => q.submit('282227', n));
    r.batches[1]!.finish();
    await tick();
    expect(r.batches[3]!.items).toEqual([6, 7, 8]);
    r.batches[2]!.finish();
    r.batches[3]!.finish();
    expect(await Promise.all([...answers, ...more])).toEqual([10, 20, 30, 40, 50, 60, 70, 80]);
    expect(q.stats).toEqual({ batches: 4, items: 8, largest: 3 });
  });

  it('caps a batch at maxBatch and keeps groups (municipalities) apart', async () => {
    const r = recorder();
    const q = new GroupCommitQueue(r.run, { maxBatch: 2, maxInFlight: 1 });
    const answers = [q.submit('a', 1), q.submit('a', 2), q.submit('a', 3), q.submit('a', 4), q.submit('b', 5)];
    await tick();
    expect(r.batches.map((b) => [b.group, b.items])).toEqual([['a', [1]], ['b', [5]]]);
    r.batches[0]!.finish();
    await tick();
    expect(r.batches[2]!.items).toEqual([2, 3]);
    r.batches[2]!.finish();
    await tick();
    expect(r.batches[3]!.items).toEqual([4]);
    r.batches[3]!.finish();
    r.batches[1]!.finish();
    expect(await Promise.all(answers)).toEqual([10, 20, 30, 40, 50]);
  });

  it('rejects every entry of a batch that throws, and any entry a batch leaves unsettled; the next batch still runs', async () => {
    let calls = 0;
    const q = new GroupCommitQueue<number, number>(async (_g, entries) => {
      calls++;
      if (calls === 1) throw new Error('connection lost');
      entries[0]!.resolve(1); // the rest are forgotten
    }, { maxBatch: 10, maxInFlight: 1 });
    const first = q.submit('a', 1);
    const later = [q.submit('a', 2), q.submit('a', 3)];
    await expect(first).rejects.toThrow('connection lost');
    expect(await later[0]).toBe(1);
    await expect(later[1]).rejects.toThrow(/unsettled/);
  });

  it('refuses settings that would never run anything', () => {
    expect(() => new GroupCommitQueue(async () => {}, { maxBatch: 0, maxInFlight: 1 })).toThrow();
    expect(() => new GroupCommitQueue(async () => {}, { maxBatch: 1, maxInFlight: 0 })).toThrow();
  });
});

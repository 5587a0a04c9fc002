import { describe, expect, it } from 'vitest';
import type { Database } from '../../kernel/db/engine.js';
import { ShelterChangePublisher } from './notify.js';

/** A database whose first `failures` transactions fail as during an outage; records what it NOTIFYs. */
function flakyDatabase(failures: number) {
  const sent: string[] = [];
  let attempts = 0;
  const db = {
    tenant: async (_ctx: unknown, fn: (tx: unknown) => Promise<unknown>) => {
      attempts++;
      if (attempts <= failures) throw new Error('Connection terminated unexpectedly');
      return fn({ execute: async (q: { queryChunks?: unknown[] }) => { sent.push(JSON.stringify(q.queryChunks)); } });
    },
  } as unknown as Database;
  return { db, sent, attempts: () => attempts };
}

describe('ShelterChangePublisher', () => {
  it('announces changes committed during an outage once the database is back', async () => {
    const f = flakyDatabase(2);
    const errors: unknown[] = [];
    const p = new ShelterChangePublisher(f.db, 5, (e) => errors.push(e));
    p.publish({ host: '282227', home: null, shelterId: 'a' });
    const deadline = Date.now() + 5000;
    while (f.sent.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(errors).toHaveLength(2);
    expect(f.sent).toHaveLength(1);
    expect(f.sent[0]).toContain('282227||a');
    await p.close();
  });

  it('gives up at close: one last attempt, no retry timer left behind', async () => {
    const f = flakyDatabase(100);
    const p = new ShelterChangePublisher(f.db, 1000);
    p.publish({ host: '282227', home: null, shelterId: 'a' });
    await p.close();
    const n = f.attempts();
    await new Promise((r) => setTimeout(r, 400));
    expect(f.attempts()).toBe(n);
  });
});

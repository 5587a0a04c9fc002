// The kernel's job queue on both engines: a job exists exactly when its transaction committed, runs
// once, is retried with back-off and given up after its attempts, is deduplicated by key, runs once
// per period however many processes schedule it, and (PostgreSQL) is shared out between two
// processes without running anywhere twice.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, openTestDatabase } from '../../test/harness.js';
import { openDatabase, type Database } from '../db/engine.js';
import { JobQueue, type Job } from './queue.js';

const YABU = '282227';
const until = async (cond: () => boolean | Promise<boolean>, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describeEachEngine('job queue', (engine) => {
  let db: Database;
  let url: string | undefined;
  let drop: () => Promise<void>;
  const queues: JobQueue[] = [];
  const queue = (d = db, pollMs = 50) => { const q = new JobQueue(d, { pollMs }); queues.push(q); return q; };
  const jobs = async (name: string) => ((await db.owner.execute(sql`select * from kernel_job where queue = ${name} order by id`)) as unknown as {
    rows: { id: number; attempts: number; done_at: string | null; failed_at: string | null; last_error: string | null }[];
  }).rows;

  beforeAll(async () => {
    ({ db, url, drop } = await openTestDatabase(engine));
    await db.migrate();
    await db.owner.execute(sql`insert into municipality (code, name_ja, name_en, prefecture_ja, prefecture_en) values (${YABU}, '養父市', 'Yabu', '兵庫県', 'Hyogo') on conflict do nothing`);
  });
  afterAll(async () => {
    for (const q of queues) await q.close();
    await db?.close();
    await drop?.();
  });

  it('a job enqueued in a transaction exists only if it commits, and then runs once', async () => {
    const q = queue();
    const seen: Job[] = [];
    q.work('test.outbox', async (job) => { seen.push(job); });
    await q.start();
    await expect(db.tenant({ municipalityCode: YABU }, async (tx) => {
      await q.enqueue(tx, 'test.outbox', { n: 1 }, { municipalityCode: YABU });
      throw new Error('the work failed');
    })).rejects.toThrow('the work failed');
    await db.tenant({ municipalityCode: YABU }, (tx) => q.enqueue(tx, 'test.outbox', { n: 2 }, { municipalityCode: YABU }));
    await until(() => seen.length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(seen.map((j) => [j.payload, j.municipalityCode, j.attempts])).toEqual([[{ n: 2 }, YABU, 1]]);
    expect((await jobs('test.outbox')).map((j) => !!j.done_at)).toEqual([true]);
  });

  it('a failing job is retried with back-off and given up after its attempts', async () => {
    const q = queue();
    let calls = 0;
    q.work('test.failing', async () => { calls++; throw new Error(`attempt ${calls} failed`); }, { backoffMs: () => 30 });
    await q.start();
    await q.enqueueNow('test.failing', {}, { maxAttempts: 3 });
    await until(async () => (await jobs('test.failing'))[0]?.failed_at != null);
    const [j] = await jobs('test.failing');
    expect(calls).toBe(3);
    expect(j).toMatchObject({ attempts: 3, done_at: null, last_error: 'attempt 3 failed' });
  });

  it('the same key enqueued twice while the first is waiting makes one job', async () => {
    const q = queue();
    await q.enqueueNow('test.keyed', { v: 1 }, { key: 'k1', runAt: new Date(Date.now() + 60_000) });
    await q.enqueueNow('test.keyed', { v: 2 }, { key: 'k1', runAt: new Date(Date.now() + 60_000) });
    await q.enqueueNow('test.keyed', { v: 3 }, { key: 'k2', runAt: new Date(Date.now() + 60_000) });
    expect(await jobs('test.keyed')).toHaveLength(2);
  });

  it('a periodic task runs once a period, however many processes schedule it', async () => {
    let runs = 0;
    const a = queue();
    const b = queue();
    a.every('test.periodic', 60_000, async () => { runs++; });
    b.every('test.periodic', 60_000, async () => { runs++; });
    await a.start();
    await b.start();
    await until(async () => (await jobs('test.periodic')).some((j) => j.done_at));
    await new Promise((r) => setTimeout(r, 300));
    expect(runs).toBe(1);
  });

  it('two processes share a queue: every job runs exactly once (PostgreSQL: row locks skipped)', async () => {
    const other = engine === 'postgres' ? await openDatabase({ databaseUrl: url!, poolSize: 4 }) : db;
    try {
      const ran = new Map<number, number>();
      const handler = async (job: Job<{ i: number }>) => {
        ran.set(job.payload.i, (ran.get(job.payload.i) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 2));
      };
      const a = queue(db);
      const b = queue(other);
      a.work('test.shared', handler, { concurrency: 4 });
      b.work('test.shared', handler, { concurrency: 4 });
      await db.tenant({ municipalityCode: null }, async (tx) => {
        for (let i = 0; i < 100; i++) await a.enqueue(tx, 'test.shared', { i });
      });
      await a.start();
      await b.start();
      await until(() => ran.size === 100, 15_000);
      await new Promise((r) => setTimeout(r, 200));
      expect([...ran.values()].every((n) => n === 1)).toBe(true);
      expect((await jobs('test.shared')).every((j) => j.done_at && j.attempts === 1)).toBe(true);
    } finally {
      if (other !== db) await other.close();
    }
  });

  it('a job whose worker died (its lease passed) is taken again', async () => {
    const q = queue();
    await q.enqueueNow('test.lease', { v: 1 });
    // Claimed with a short lease by a "worker" that never answers.
    await db.lookup((d) => d.execute(sql`select * from kazashi_job_claim('test.lease', 1, 100)`));
    let ran = 0;
    q.work('test.lease', async () => { ran++; });
    await q.start();
    await until(() => ran === 1);
    expect((await jobs('test.lease'))[0]).toMatchObject({ attempts: 2 });
  });

  it('the app role enqueues only for its own municipality or for none', async () => {
    const q = queue();
    await expect(db.tenant({ municipalityCode: YABU }, (tx) => q.enqueue(tx, 'test.rls', {}, { municipalityCode: '282251' }))).rejects.toThrow();
    await db.tenant({ municipalityCode: YABU }, (tx) => q.enqueue(tx, 'test.rls', {}, { municipalityCode: YABU }));
    await db.tenant({ municipalityCode: YABU }, (tx) => q.enqueue(tx, 'test.rls', {}));
    expect(await jobs('test.rls')).toHaveLength(2);
  });
});

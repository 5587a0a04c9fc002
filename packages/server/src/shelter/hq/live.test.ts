// Live updates: NOTIFY on commit → every server instance's hub → the HQ dashboards' event streams.
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../kernel/db/engine.js';
import { APP_LOGIN_ROLE, describeEachEngine, freePort, loginAs, startTestPlatform, type StaffAgent, type TestPlatform } from '../../test/harness.js';
import type { ShelterServiceDeps } from '../deps.js';
import { ShelterHqService } from './service.js';
import { COALESCE_MS, ShelterLiveHub } from './live.js';
import { encodeShelterChange, notifyShelterChange } from './notify.js';
import { disaster, evacuee, shelter, shelterStay } from '../schema.js';
import type { ShelterSummary } from '../contract.js';

const YABU = '282227';
const ASAGO = '282251';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Collects the frames a subscriber receives; `next` waits for one matching event. */
class Frames {
  frames: string[] = [];
  private waiters: (() => void)[] = [];
  send = (frame: string) => { this.frames.push(frame); for (const w of this.waiters.splice(0)) w(); };
  events(name: string) { return this.frames.filter((f) => f.startsWith(`event: ${name}\n`)); }
  summaries(): ShelterSummary[] { return this.events('shelter').map((f) => JSON.parse(f.split('\ndata: ')[1]!) as ShelterSummary); }
  async next(name: string, match: (data: unknown) => boolean = () => true, timeoutMs = 5000): Promise<unknown> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.events(name).map((f) => JSON.parse(f.split('\ndata: ')[1]!) as unknown).find(match);
      if (hit !== undefined) return hit;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no '${name}' frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => { this.waiters.push(resolve); setTimeout(resolve, left); });
    }
  }
}

describe('ShelterLiveHub (fakes)', () => {
  it('coalesces a burst: one summaries call per host per window, the same frame to every subscriber, elsewhere to the home', async () => {
    let deliver: (payload: string) => void = () => {};
    let released = false;
    const db = { listen: async (_c: string, fn: (p: string) => void) => { deliver = fn; return async () => { released = true; }; } };
    const calls: { code: string; ids: string[] }[] = [];
    const hq = {
      summaries: async (code: string, ids?: string[]) => {
        calls.push({ code, ids: [...(ids ?? [])].sort() });
        return (ids ?? []).map((id) => ({ shelterId: id, municipalityCode: code, present: calls.length }) as unknown as ShelterSummary);
      },
    };
    const hub = new ShelterLiveHub({ db } as unknown as ShelterServiceDeps, { hq: hq as unknown as ShelterHqService });
    await hub.start();
    const yabu1 = new Frames();
    const yabu2 = new Frames();
    const asago = new Frames();
    let ended = 0;
    hub.subscribe(YABU, yabu1.send, () => ended++);
    const stop2 = hub.subscribe(YABU, yabu2.send, () => ended++);
    hub.subscribe(ASAGO, asago.send, () => ended++);
    const a = crypto.randomUUID();
    const b = crypto.randomUUID();
    for (let i = 0; i < 20; i++) deliver(encodeShelterChange({ host: YABU, home: YABU, shelterId: i % 2 ? a : b }));
    deliver(encodeShelterChange({ host: YABU, home: ASAGO, shelterId: a }));
    deliver('garbage');
    deliver(encodeShelterChange({ host: '131016', home: null, shelterId: a })); // nobody watches 131016 here
    // Waits for the window to close, not for a guessed time.
    await expect.poll(() => yabu1.events('shelter').length).toBe(2);
    expect(calls).toEqual([{ code: YABU, ids: [a, b].sort() }]);
    expect(yabu2.frames).toEqual(yabu1.frames); // the very same frames, computed once
    await expect.poll(() => asago.frames).toEqual(['event: elsewhere\ndata: {}\n\n']);
    // A later change is a new window; an unsubscribed stream gets nothing more.
    stop2();
    deliver(encodeShelterChange({ host: YABU, home: YABU, shelterId: a }));
    await expect.poll(() => yabu1.events('shelter').length).toBe(3);
    expect(calls).toHaveLength(2);
    expect(yabu2.events('shelter')).toHaveLength(2);
    // An outside stay (no shelter) tells the host's dashboards to refetch, without a summary query.
    deliver(encodeShelterChange({ host: YABU, home: YABU, shelterId: null }));
    await expect.poll(() => yabu1.events('elsewhere').length).toBe(1);
    expect(calls).toHaveLength(2);
    await hub.close();
    expect(released).toBe(true);
    expect(ended).toBe(2);
    expect(hub.subscriberCount()).toBe(0);
  });

  it('tells the HQ view of every change, watched here or not, so its snapshots never outlive one; only while listening', async () => {
    let deliver: (payload: string) => void = () => {};
    const db = { listen: async (_c: string, fn: (p: string) => void) => { deliver = fn; return async () => {}; } };
    const tracking: boolean[] = [];
    const changed: unknown[] = [];
    const hq = {
      summaries: async () => [],
      trackChanges: (on: boolean) => { tracking.push(on); },
      staysChanged: (c: unknown) => { changed.push(c); },
    };
    const hub = new ShelterLiveHub({ db } as unknown as ShelterServiceDeps, { hq: hq as unknown as ShelterHqService });
    expect(tracking).toEqual([]);
    await hub.start();
    expect(tracking).toEqual([true]);
    // Nobody subscribed: no summaries are computed, but the snapshots still go.
    deliver(`${encodeShelterChange({ host: YABU, home: ASAGO, shelterId: null })};${encodeShelterChange({ host: ASAGO, home: null, shelterId: null })}`);
    expect(changed).toEqual([{ host: YABU, home: ASAGO, shelterId: null }, { host: ASAGO, home: null, shelterId: null }]);
    await hub.close();
    expect(tracking).toEqual([true, false]);
  });
});

describeEachEngine('shelter live updates', (engine) => {
  let t: TestPlatform;
  let staff: StaffAgent;
  let shelterId: string;
  let disasterId: string;

  beforeAll(async () => {
    t = await startTestPlatform(engine);
    staff = await loginAs(t, 'yabu.shelter');
    const owner = t.platform.db.owner;
    disasterId = (await owner.insert(disaster).values({ municipalityCode: YABU, kind: 'earthquake', nameJa: '地震', declaredBy: 'test' }).returning())[0]!.id;
    shelterId = (await owner.insert(shelter).values({ municipalityCode: YABU, localId: 'live-1', nameJa: '八鹿小学校', capacity: 10, status: 'open', disasterId }).returning())[0]!.id;
  });
  afterAll(async () => { await t?.close(); });

  /** A check-in as the stay service writes it: the stay and the NOTIFY in one transaction of `db`, acting as Yabu. */
  async function checkIn(db: Database, home = YABU) {
    const e = (await t.platform.db.owner.insert(evacuee).values({ municipalityCode: home, householdId: crypto.randomUUID(), source: 'staff-entry', sex: 'female' }).returning())[0]!;
    await db.tenant({ municipalityCode: YABU }, async (tx) => {
      await tx.insert(shelterStay).values({
        municipalityCode: YABU, evacueeMunicipalityCode: home, evacueeId: e.id, householdId: e.householdId, shelterId, disasterId,
        channel: 'staff', sex: 'female', idempotencyKey: crypto.randomUUID(), createdBy: 'test',
      });
      await notifyShelterChange(tx, { host: YABU, home, shelterId });
    });
  }
  const livePresent = async () => (await t.platform.shelters.hq.summaries(YABU, [shelterId]))[0]!.present;

  it('a change committed through one Database reaches a hub listening through another (multi-instance)', async () => {
    // PostgreSQL: a second pool and listener on the same database, as a second server process would
    // have. PGlite is embedded (one process, one database): the platform's own hub is the only one.
    let other: Database | undefined;
    if (engine === 'postgres') {
      const appUrl = new URL(t.databaseUrl!);
      appUrl.username = APP_LOGIN_ROLE;
      other = await openDatabase({ databaseUrl: t.databaseUrl, databaseAppUrl: appUrl.toString(), poolSize: 2 });
    }
    const db2 = other ?? t.platform.db;
    const deps2 = { ...t.platform.shelters.hq.deps, db: db2 };
    const hub2 = new ShelterLiveHub(deps2, { hq: new ShelterHqService(deps2) });
    const listeners = async () => Number(((await t.platform.db.owner.execute(sql`select count(*)::int as n from pg_stat_activity
      where datname = current_database() and query ilike 'LISTEN%'`)) as unknown as { rows: { n: number }[] }).rows[0]!.n);
    try {
      const before = engine === 'postgres' ? await listeners() : 0;
      await hub2.start();
      if (engine === 'postgres') expect(await listeners()).toBe(before + 1);
      const yabu = new Frames();
      const asago = new Frames();
      hub2.subscribe(YABU, yabu.send);
      hub2.subscribe(ASAGO, asago.send);
      const start = await livePresent();
      // The second instance's snapshot of Yabu's aggregate (kept until a change notice reaches it).
      const hq2 = hub2.peers.hq as ShelterHqService;
      const snapshotPresent = async () => (await hq2.summaries(YABU)).find((x) => x.shelterId === shelterId)!.present;
      expect(await snapshotPresent()).toBe(start);
      // Written through the FIRST instance's database; observed by the second's hub.
      await checkIn(t.platform.db);
      const s = (await yabu.next('shelter', (d) => (d as ShelterSummary).present === start + 1)) as ShelterSummary;
      // The notice that brought the event also ended the second instance's snapshot.
      expect(await snapshotPresent()).toBe(start + 1);
      expect(s).toMatchObject({ shelterId, municipalityCode: YABU, nameJa: '八鹿小学校', female: start + 1, capacity: 10 });
      expect(asago.frames).toEqual([]);
      // An Asago resident checking in at Yabu: Yabu's dashboards get the summary, Asago's an `elsewhere`.
      await checkIn(t.platform.db, ASAGO);
      await yabu.next('shelter', (d) => (d as ShelterSummary).present === start + 2 && (d as ShelterSummary).fromOtherMunicipalities >= 1);
      await asago.next('elsewhere');
      if (engine === 'postgres') {
        // The server drops the listening connections (restart, failover): they reconnect and LISTEN again.
        await t.platform.db.owner.execute(sql`select pg_terminate_backend(pid) from pg_stat_activity
          where datname = current_database() and query ilike 'LISTEN%'`);
        const deadline = Date.now() + 10_000;
        while ((await listeners()) < before + 1 && Date.now() < deadline) await sleep(100);
        expect(await listeners()).toBe(before + 1);
        await checkIn(t.platform.db);
        await yabu.next('shelter', (d) => (d as ShelterSummary).present === start + 3);
      }
      // A rolled-back transaction announces nothing.
      const framesBefore = yabu.frames.length;
      await expect(t.platform.db.tenant({ municipalityCode: YABU }, async (tx) => {
        await notifyShelterChange(tx, { host: YABU, home: YABU, shelterId });
        throw new Error('rollback');
      })).rejects.toThrow('rollback');
      await sleep(COALESCE_MS * 6);
      expect(yabu.frames.length).toBe(framesBefore);
    } finally {
      await hub2.close();
      if (engine === 'postgres') {
        // The dedicated LISTEN connection is released on close (a server or test would not exit otherwise).
        await other!.close();
        const deadline = Date.now() + 5000;
        while ((await listeners()) > 1 && Date.now() < deadline) await sleep(50);
        expect(await listeners()).toBe(1); // the platform's own hub remains
      }
    }
  });

  it('an SSE client over real HTTP gets retry, then `event: shelter` after a change; disconnecting unsubscribes', async () => {
    const port = await freePort();
    await t.app.listen({ port, host: '127.0.0.1' });
    const live = t.platform.shelters.live;
    const abort = new AbortController();
    const res = await fetch(`http://127.0.0.1:${port}/api/municipalities/${YABU}/hq/events`, { headers: { cookie: staff.cookie, accept: 'text/event-stream' }, signal: abort.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('cache-control')).toMatch(/no-store/);
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (pattern: RegExp, timeoutMs = 5000) => {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(text)) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`stream did not show ${pattern} in ${timeoutMs} ms: ${JSON.stringify(text)}`);
        const chunk = await Promise.race([reader.read(), sleep(left).then(() => undefined)]);
        if (!chunk) continue;
        if (chunk.done) throw new Error(`stream ended: ${JSON.stringify(text)}`);
        text += decoder.decode(chunk.value, { stream: true });
      }
      return text;
    };
    // The first bytes arrive at once (no buffering until the first change).
    await readUntil(/retry: 3000\n/);
    expect(live.subscriberCount(YABU)).toBeGreaterThanOrEqual(1);
    const subscribed = live.subscriberCount(YABU);
    const start = await livePresent();
    await checkIn(t.platform.db);
    await readUntil(/event: shelter\ndata: (.+)\n\n/);
    const data = JSON.parse(/event: shelter\ndata: (.+)\n\n/.exec(text)![1]!) as ShelterSummary;
    expect(data).toMatchObject({ shelterId, present: start + 1 });
    abort.abort();
    await reader.cancel().catch(() => {});
    const deadline = Date.now() + 5000;
    while (live.subscriberCount(YABU) >= subscribed && Date.now() < deadline) await sleep(20);
    expect(live.subscriberCount(YABU)).toBe(subscribed - 1);
  });

  it('an open stream does not keep the server from closing', async () => {
    const port = await freePort();
    const app2 = await (await import('../../platform/app.js')).buildApp(t.platform, { logger: false, serveWeb: false });
    await app2.listen({ port, host: '127.0.0.1' });
    const res = await fetch(`http://127.0.0.1:${port}/api/municipalities/${YABU}/hq/events`, { headers: { cookie: staff.cookie } });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    await reader.read();
    const closed = await Promise.race([app2.close().then(() => 'closed'), sleep(5000).then(() => 'hung')]);
    expect(closed).toBe('closed');
    // The client sees the end of the stream (EventSource would reconnect to another instance).
    for (;;) { if ((await reader.read()).done) break; }
  });
});

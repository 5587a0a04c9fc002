// A database outage under check-in load, against the real server in its own process on PostgreSQL:
// the app's backends are terminated twice (pg_terminate_backend) and the database is then taken away
// for two seconds (a relay between server and PostgreSQL resets every connection and refuses new
// ones). The process must stay up, every request must get an answer (2xx, or a retryable 503
// problem+json), /readyz must say so and recover, no acknowledged check-in may be lost or doubled,
// and a dashboard's event stream must carry a check-in made afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../staff/index.js';
import { APP_LOGIN_ROLE, ENGINES, freePort, freshPostgresDatabase, serverRoot } from '../test/harness.js';
import { startTcpProxy, type TcpProxy } from '../test/tcpProxy.js';
import { programArgs } from '../test/programs.js';

const YABU = '282227';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Answer { status: number; contentType: string; body: string; retryAfter: string | null }

describe.runIf(ENGINES.includes('postgres'))('database outage under check-in load [postgres]', () => {
  let db: { url: string; drop: () => Promise<void> };
  let owner: pg.Client;
  let proxy: TcpProxy;
  let server: ChildProcess;
  let output = '';
  let base = '';
  let dataDir = '';
  let dbName = '';
  let serverEnv: Record<string, string> = {};
  let shelterA = '';
  let shelterB = '';
  let people: string[] = [];
  const sessions: Record<string, Record<string, string>> = {};

  const q = async <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) => (await owner.query<T>(text, values)).rows;

  beforeAll(async () => {
    db = await freshPostgresDatabase('kz_outage');
    dbName = new URL(db.url).pathname.slice(1);
    owner = new pg.Client({ connectionString: db.url });
    await owner.connect();
    const target = new URL(db.url);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    // Owner and app role both through the relay, as the app connects in production (README).
    const ownerVia = new URL(db.url);
    ownerVia.host = `127.0.0.1:${proxy.port}`;
    const appVia = new URL(ownerVia);
    appVia.username = APP_LOGIN_ROLE;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kazashi-outage-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // Migrations create kazashi_app; the login role must exist before the app connects with it.
    await owner.query(`DO $$ BEGIN CREATE ROLE kazashi_app; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
    await owner.query(`DO $$ BEGIN CREATE ROLE ${APP_LOGIN_ROLE} LOGIN IN ROLE kazashi_app; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
    serverEnv = {
      NODE_ENV: 'test', LOG_LEVEL: 'warn', HOST: '127.0.0.1', KAZASHI_DATA_DIR: dataDir,
      DATABASE_URL: ownerVia.toString(), DATABASE_APP_URL: appVia.toString(), KAZASHI_LOGIN_RATE_LIMIT: '1000',
    };
    server = spawn(process.execPath, programArgs('main'), {
      cwd: serverRoot,
      env: { ...process.env, ...serverEnv, PORT: String(port), KAZASHI_PUBLIC_URL: base },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.setEncoding('utf8').on('data', (d: string) => { output += d; });
    server.stderr!.setEncoding('utf8').on('data', (d: string) => { output += d; });
    const deadline = Date.now() + 90_000;
    while (!/^yabu\.hq\s/m.test(output) || !(await fetch(`${base}/healthz`).then((r) => r.ok, () => false))) {
      if (server.exitCode !== null) throw new Error(`server exited during start:\n${output}`);
      if (Date.now() > deadline) throw new Error(`server not ready in 90 s:\n${output}`);
      await sleep(200);
    }
    const password = /One-time demo password[^:\n]*:\s*(\S+)/.exec(output)![1]!;
    for (const loginName of ['yabu.shelter', 'yabu.hq']) {
      const secret = new RegExp(`^${loginName.replace('.', '\\.')}\\s+\\S+\\s+([A-Z2-7]+=*)\\s*$`, 'm').exec(output)![1]!;
      const res = await fetch(`${base}/api/auth/login`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ loginName, password, totp: totpCode(secret) }),
      });
      expect(res.status, await res.clone().text()).toBe(200);
      const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('kazashi_session='))!;
      sessions[loginName] = { cookie, 'x-csrf-token': ((await res.json()) as { csrfToken: string }).csrfToken };
    }
    const [d] = await q<{ id: string }>(`insert into disaster (municipality_code, kind, name_ja, declared_by) values ($1, 'flood', '停電試験', 'test') returning id`, [YABU]);
    const shelter = async (localId: string) => (await q<{ id: string }>(`insert into shelter (municipality_code, local_id, name_ja, capacity, status, disaster_id)
      values ($1, $2, $3, 5000, 'open', $4) returning id`, [YABU, localId, `停電試験避難所${localId}`, d!.id]))[0]!.id;
    shelterA = await shelter('O-A');
    shelterB = await shelter('O-B');
    people = (await q<{ id: string }>(`insert into evacuee (id, municipality_code, household_id, source, needs, sex)
      select gen_random_uuid(), $1, gen_random_uuid(), 'pre-registration', '{}', 'female' from generate_series(1, 20000) returning id`, [YABU])).map((r) => r.id);
  }, 180_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await Promise.race([new Promise((r) => server.once('exit', r)), sleep(10_000)]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    await proxy?.close();
    await owner?.end().catch(() => {});
    await db?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const request = async (method: string, url: string, headers: Record<string, string>, body?: unknown): Promise<Answer> => {
    const res = await fetch(base + url, {
      method, headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: await res.text(), retryAfter: res.headers.get('retry-after') };
  };

  /** Server-Sent Events of the HQ dashboard, collected as they come. */
  async function openEvents() {
    const controller = new AbortController();
    const res = await fetch(`${base}/api/municipalities/${YABU}/hq/events`, { headers: sessions['yabu.hq']!, signal: controller.signal });
    expect(res.status).toBe(200);
    const frames: { event: string; data: string; at: number }[] = [];
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        buf += value;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: (.*)$/m.exec(frame)?.[1];
          if (event) frames.push({ event, data: /^data: (.*)$/m.exec(frame)?.[1] ?? '', at: Date.now() });
        }
      }
    })();
    return { frames, close: () => controller.abort() };
  }

  const terminateAppBackends = async () => (await q<{ n: number }>(
    `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`, [dbName]))[0]!.n;

  /** Milliseconds until /readyz answers 200 again; also whether it answered 503 problem+json meanwhile. */
  async function readyAgain(): Promise<{ ms: number; saw503: boolean }> {
    const start = Date.now();
    let saw503 = false;
    for (;;) {
      const r = await request('GET', '/readyz', {});
      if (r.status === 200) return { ms: Date.now() - start, saw503 };
      expect(r.status).toBe(503);
      expect(r.contentType).toMatch(/^application\/problem\+json/);
      saw503 = true;
      if (Date.now() - start > 10_000) return { ms: Date.now() - start, saw503 };
      await sleep(100);
    }
  }

  it('stays up, answers every request, recovers, loses and doubles nothing, and the dashboard catches up', async () => {
    // One person is kept out of the load, for the check-in after the outage.
    const reserved = people.pop()!;
    const events = await openEvents();
    const acked = new Map<string, { key: string; stayId: string }>();
    const answers: Answer[] = [];
    const noAnswer: string[] = [];
    let next = 0;
    let stop = false;
    const worker = async () => {
      while (!stop && next < people.length) {
        const evacueeId = people[next++]!;
        const key = crypto.randomUUID();
        // A kiosk retries a 503 with the same key until it is answered.
        for (let attempt = 0; attempt < 100; attempt++) {
          let a: Answer;
          try {
            a = await request('POST', `/api/municipalities/${YABU}/shelters/${shelterA}/stays`, sessions['yabu.shelter']!, { idempotencyKey: key, evacueeIds: [evacueeId] });
          } catch (err) {
            noAnswer.push(String((err as Error).cause ?? err));
            await sleep(200);
            continue;
          }
          answers.push(a);
          if (a.status === 201 || a.status === 200) {
            acked.set(evacueeId, { key, stayId: (JSON.parse(a.body) as { stays: { stayId: string }[] }).stays[0]!.stayId });
            break;
          }
          if (a.status !== 503) break;
          await sleep(150);
        }
      }
    };
    const load = Promise.all(Array.from({ length: 12 }, worker));

    await sleep(1500);
    expect(await terminateAppBackends()).toBeGreaterThan(0);
    const first = await readyAgain();
    await sleep(1500);
    expect(await terminateAppBackends()).toBeGreaterThan(0);
    const second = await readyAgain();
    await sleep(1000);
    // A real outage window: the database is gone for two seconds.
    const startedBeforeCut = next;
    proxy.cut();
    const during = await request('GET', '/readyz', {});
    await sleep(2000);
    proxy.restore();
    const third = await readyAgain();
    await sleep(1500);
    stop = true;
    await load;

    expect(server.exitCode, output).toBeNull();
    // Name the offending lines, not the whole log, when this fails.
    const crashes = output.split('\n').flatMap((line, i, lines) =>
      /Unhandled|uncaught/i.test(line) || (/ECONNRESET/.test(line) && /^\s+at /.test(lines[i + 1] ?? '')) ? [line.slice(0, 400)] : []);
    if (crashes.length) fs.writeFileSync(path.join(os.tmpdir(), `kazashi-outage-${process.pid}.log`), output);
    expect(crashes).toEqual([]);
    // With PostgreSQL the server runs a worker per core (KAZASHI_WORKERS): none of them died either.
    expect(output).not.toMatch(/worker \d+ exited/);
    expect(noAnswer, 'requests without an HTTP answer').toEqual([]);
    expect(first.ms).toBeLessThan(5000);
    expect(second.ms).toBeLessThan(5000);
    expect(third.ms).toBeLessThan(5000);
    expect(during.status).toBe(503);
    expect(startedBeforeCut, 'the load was still running when the database went away').toBeLessThan(people.length);
    const unavailable = answers.filter((a) => a.status === 503);
    expect(unavailable.length, 'the outage was felt by the load').toBeGreaterThan(0);
    for (const a of unavailable) {
      expect(a.contentType).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(a.body)).toMatchObject({ status: 503, code: 'database-unavailable' });
      expect(Number(a.retryAfter)).toBeGreaterThan(0);
    }
    expect(answers.filter((a) => a.status !== 201 && a.status !== 200 && a.status !== 503).map((a) => `${a.status} ${a.body}`)).toEqual([]);
    expect(acked.size).toBeGreaterThan(100);
    console.info(`outage test: ${acked.size} check-ins acknowledged, ${unavailable.length} answers 503, ready again after ${first.ms}/${second.ms}/${third.ms} ms`);

    // Every acknowledged check-in exactly once, with the stay it was answered with.
    const stays = await q<{ evacuee_id: string; id: string; request_key: string }>(
      `select evacuee_id, id, request_key from shelter_stay where municipality_code = $1 and shelter_id = $2`, [YABU, shelterA]);
    const byPerson = new Map<string, typeof stays>();
    for (const s of stays) byPerson.set(s.evacuee_id, [...(byPerson.get(s.evacuee_id) ?? []), s]);
    for (const [evacueeId, a] of acked) {
      const mine = byPerson.get(evacueeId) ?? [];
      expect(mine.map((s) => s.id)).toEqual([a.stayId]);
      expect(mine[0]!.request_key).toBe(a.key);
    }
    expect([...byPerson.values()].filter((s) => s.length > 1)).toEqual([]);

    // The dashboard's stream was told to catch up, and carries a check-in made now.
    expect(events.frames.some((f) => f.event === 'resync')).toBe(true);
    const after = Date.now();
    const late = reserved;
    const res = await request('POST', `/api/municipalities/${YABU}/shelters/${shelterB}/stays`, sessions['yabu.shelter']!, { idempotencyKey: crypto.randomUUID(), evacueeIds: [late] });
    expect(res.status, res.body).toBe(201);
    const deadline = Date.now() + 5000;
    const seen = () => events.frames.find((f) => f.event === 'shelter' && f.at >= after && (JSON.parse(f.data) as { shelterId: string }).shelterId === shelterB);
    while (!seen() && Date.now() < deadline) await sleep(50);
    expect(seen(), JSON.stringify(events.frames.slice(-5))).toBeDefined();
    expect((JSON.parse(seen()!.data) as { present: number }).present).toBe(1);
    events.close();
  }, 120_000);

  it('a server started while the database is away waits for it, then serves', async () => {
    server.kill('SIGTERM');
    await Promise.race([new Promise((r) => server.once('exit', r)), sleep(10_000)]);
    proxy.cut();
    const port = await freePort();
    const late = spawn(process.execPath, programArgs('main'), {
      cwd: serverRoot,
      env: { ...process.env, ...serverEnv, PORT: String(port), KAZASHI_PUBLIC_URL: `http://127.0.0.1:${port}`, KAZASHI_WORKERS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let lateOutput = '';
    late.stdout!.setEncoding('utf8').on('data', (d: string) => { lateOutput += d; });
    late.stderr!.setEncoding('utf8').on('data', (d: string) => { lateOutput += d; });
    try {
      const deadline = Date.now() + 20_000;
      while (!/the database cannot be reached/.test(lateOutput) && late.exitCode === null && Date.now() < deadline) await sleep(100);
      expect(lateOutput).toMatch(/kazashi: the database cannot be reached \(ECONNRESET|ECONNREFUSED/);
      await sleep(1000);
      expect(late.exitCode, lateOutput).toBeNull();
      proxy.restore();
      const ready = Date.now() + 30_000;
      let status = 0;
      while (status !== 200 && late.exitCode === null && Date.now() < ready) {
        status = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status, () => 0);
        if (status !== 200) await sleep(200);
      }
      expect(status, lateOutput).toBe(200);
    } finally {
      proxy.restore();
      late.kill('SIGKILL');
    }
  }, 60_000);
});

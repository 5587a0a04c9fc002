// `npm run bench:dashboard`: the disaster HQ dashboard at scale on PostgreSQL. On a fresh database the
// built server (with the built web app) runs in a child process, logging off; as the owner we insert one
// open disaster, BENCH_DASHBOARD_SHELTERS open shelters of 282227 and BENCH_DASHBOARD_STAYS live stays
// (evacuees and stays in bulk SQL, needs/sex/language spread, 10 % temporarily out, 5 % from the
// joint-use partner 282251). The demo HQ account (yabu.hq) then measures:
//  1. GET /api/municipalities/282227/hq/overview. The server keeps the live-stay aggregate per municipality
//     and, on each change notice (NOTIFY kazashi_shelter), re-counts only the part it touches: a shelter,
//     the people outside shelters, residents in partners' shelters. The first request after the server
//     starts counts everything (overview_full_ms). Then p50/p99 over BENCH_OVERVIEW_REQUESTS sequential
//     requests, each after the notices of a check-in at one shelter and of a report from outside
//     shelters (as during a disaster); the answer must list every shelter with the counts the database
//     holds. The same requests without notices are reported as overview_warm_*.
//  2. The /hq page in headless Chromium (playwright-core) with the session cookie, each run in a fresh
//     browser context (nothing cached): from navigation start (the page's performance.now()) until the
//     table [data-testid="hq-shelter-table"] holds every shelter — all [data-shelter-id] rows, or for a
//     windowed table its aria-rowcount with the first screen of rows drawn — after which the bench
//     scrolls to the end and checks the last row is there (not timed). Median of BENCH_RENDER_RUNS runs,
//     each after change notices as above; one more run without them is reported as render_warm_ms, and
//     one after a real check-in through the API as render_after_checkin_ms.
//  3. Fan-out: BENCH_FANOUT_CLIENTS Server-Sent Events clients on …/hq/events (plain node http, the cookie),
//     one check-in through the API, and the time from sending it until each client has the
//     `event: shelter` frame of that shelter showing one more person: max and p50 over the clients.
// Env: BENCH_DASHBOARD_SHELTERS (1000), BENCH_DASHBOARD_STAYS (200000), BENCH_OVERVIEW_REQUESTS (20),
//      BENCH_RENDER_RUNS (3), BENCH_FANOUT_CLIENTS (200), BENCH_CHROMIUM (/usr/bin/chromium),
//      BENCH_DATABASE_URL (admin URL; default postgres://postgres@127.0.0.1:5432/postgres), BENCH_NO_BUILD=1.
// The last line is machine-readable key=value figures.
import crypto from 'node:crypto';
import http from 'node:http';
import { chromium } from 'playwright-core';
import {
  CODE, api, cleanup, ensureBuilt, fmt, freshDatabase, login, onCleanup, ownerClient, pct, seedDisasterAndShelters, sleep, startServer,
} from './lib/shelterBench.mjs';

const SHELTERS = Number(process.env.BENCH_DASHBOARD_SHELTERS ?? 1000);
const STAYS = Number(process.env.BENCH_DASHBOARD_STAYS ?? 200_000);
const OVERVIEW_REQUESTS = Number(process.env.BENCH_OVERVIEW_REQUESTS ?? 20);
const RENDER_RUNS = Number(process.env.BENCH_RENDER_RUNS ?? 3);
const FANOUT_CLIENTS = Number(process.env.BENCH_FANOUT_CLIENTS ?? 200);
const CHROMIUM = process.env.BENCH_CHROMIUM ?? '/usr/bin/chromium';
const PARTNER = '282251';
for (const [k, v] of Object.entries({ SHELTERS, STAYS, OVERVIEW_REQUESTS, FANOUT_CLIENTS })) {
  if (!(v > 0)) throw new Error(`bad ${k}: must be a positive number`);
}
// 0 skips the browser part (then render_ms=NaN and the run counts as failed).
if (!(RENDER_RUNS >= 0)) throw new Error('bad BENCH_RENDER_RUNS');

/** Evacuees and their live stays, spread over the shelters, as the owner in two statements. */
async function seedStays(db, { disasterId, shelterIds }) {
  // Households of three; every 20th person from the joint-use partner (consented to sharing).
  await db.query(
    `insert into evacuee (id, municipality_code, household_id, source, needs, sex, language, consent_inquiry, consent_joint_use)
     select md5('bench-evacuee-' || n)::uuid, case when n % 20 = 7 then $2 else $1 end, md5('bench-household-' || (n / 3))::uuid, 'staff-entry',
            array_remove(array[
              case when n % 17 = 0 then 'allergy' end, case when n % 11 = 0 then 'medication' end, case when n % 29 = 0 then 'care' end,
              case when n % 37 = 0 then 'disability' end, case when n % 97 = 0 then 'pregnancy' end, case when n % 41 = 0 then 'infant' end,
              case when n % 53 = 0 then 'pet' end]::text[], null),
            case when n % 50 = 0 then 'other' when n % 2 = 0 then 'female' else 'male' end,
            case when n % 60 = 0 then 'en' when n % 70 = 0 then 'vi' when n % 90 = 0 then 'zh' when n % 130 = 0 then 'pt' else 'ja' end,
            true, true
       from generate_series(1, $3::int) n`, [CODE, PARTNER, STAYS]);
  // A household stays together: shelter by household number.
  await db.query(
    `insert into shelter_stay (municipality_code, evacuee_municipality_code, evacuee_id, household_id, disaster_id, place, shelter_id, status,
                               channel, needs, sex, language, idempotency_key, checked_in_at, created_by)
     select $1, e.municipality_code, e.id, e.household_id, $2, 'shelter', ($3::uuid[])[1 + (n / 3) % cardinality($3::uuid[])],
            case when n % 10 = 3 then 'out' else 'in' end, 'staff', e.needs, e.sex, e.language, 'bench-' || n,
            now() - (n % 720) * interval '1 minute', 'staff:bench'
       from generate_series(1, $4::int) n join evacuee e on e.id = md5('bench-evacuee-' || n)::uuid`, [CODE, disasterId, shelterIds, STAYS]);
  // The person the fan-out check-in brings in.
  const { rows: [p] } = await db.query(
    `insert into evacuee (municipality_code, household_id, source, sex, language) values ($1, gen_random_uuid(), 'staff-entry', 'female', 'ja') returning id`, [CODE]);
  await db.query('analyze');
  return p.id;
}

/** A Server-Sent Events client (node http, its own socket) that reports each event to `onEvent`. */
function sseClient(server, agent, onEvent) {
  return new Promise((resolve, reject) => {
    const req = http.get(`${server.baseUrl}/api/municipalities/${CODE}/hq/events`, { agent: false, headers: { cookie: agent.cookie, accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return reject(new Error(`GET …/hq/events: ${res.statusCode}`));
      }
      res.setEncoding('utf8');
      let buf = '';
      let connected = false;
      res.on('data', (chunk) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          let event = 'message';
          const data = [];
          for (const line of frame.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
          }
          // The first frame (retry + comment) means the server has subscribed this stream.
          if (!connected) { connected = true; resolve({ close: () => req.destroy() }); }
          if (data.length) onEvent(event, data.join('\n'), performance.now());
        }
      });
      res.on('error', () => {});
    });
    req.on('error', reject);
  });
}

let failed = false;
const figures = {};
try {
  ensureBuilt({ web: RENDER_RUNS > 0 });
  console.log(`Dashboard benchmark: ${SHELTERS} open shelters, ${STAYS} live stays, ${FANOUT_CLIENTS} SSE clients`);
  const { url } = await freshDatabase('kazashi_bench_dashboard');
  const server = await startServer(url);
  const db = await ownerClient(url);

  console.log('› seeding (SQL as the owner)…');
  let t = performance.now();
  // Capacities 150–450: occupancies from under half to over full, so every congestion level shows.
  const seeded = await seedDisasterAndShelters(db, { count: SHELTERS, capacity: '150 + (n % 7) * 50' });
  const newcomer = await seedStays(db, seeded);
  const { rows: [expect] } = await db.query(
    `select count(*) filter (where status = 'in')::int as present, count(*) filter (where status = 'out')::int as out
       from shelter_stay where municipality_code = $1 and status in ('in', 'out')`, [CODE]);
  console.log(`  ${SHELTERS} shelters, ${expect.present} present + ${expect.out} out in ${fmt((performance.now() - t) / 1000)} s`);
  const agent = await login(server, 'yabu.hq');

  // 1. Overview latency.
  const overviewPath = `/api/municipalities/${CODE}/hq/overview`;
  const getOverview = async () => {
    const t0 = performance.now();
    const res = await fetch(server.baseUrl + overviewPath, { headers: agent.headers });
    const text = await res.text();
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`GET ${overviewPath}: ${res.status} ${text.slice(0, 300)}`);
    return { ms, json: JSON.parse(text), bytes: text.length };
  };
  // Change notices as a disaster sends them: one from a check-in at a shelter and one from a report
  // outside shelters. The server's snapshot of the aggregate then re-counts that shelter and the
  // outside stays before answering (a partial count; the other shelters come from the snapshot).
  let noticeTurn = 0;
  const changeNotices = async () => {
    const shelterId = seeded.shelterIds[noticeTurn++ % seeded.shelterIds.length];
    await db.query('select pg_notify($1, $2)', ['kazashi_shelter', `${CODE}||${shelterId};${CODE}||`]);
    await sleep(50); // delivered to the server's listener
  };
  // The first request after the server started counts every live stay (nothing kept yet).
  figures.overview_full_ms = (await getOverview()).ms;
  console.log(`overview, first after start (a full count of ${STAYS} stays): ${fmt(figures.overview_full_ms)} ms`);
  await getOverview(); // warm-up: JIT, plans, pool
  const overviewMs = [];
  let last;
  for (let i = 0; i < OVERVIEW_REQUESTS; i++) {
    await changeNotices();
    last = await getOverview();
    overviewMs.push(last.ms);
  }
  const warmMs = [];
  for (let i = 0; i < OVERVIEW_REQUESTS; i++) warmMs.push((await getOverview()).ms);
  figures.overview_warm_p50_ms = pct(warmMs, 50);
  console.log(`overview warm (no change since the previous request): p50 ${fmt(figures.overview_warm_p50_ms)} ms  p99 ${fmt(pct(warmMs, 99))} ms`);
  const o = last.json;
  const benchRows = o.shelters.filter((s) => seeded.shelterIds.includes(s.shelterId));
  const okOverview = benchRows.length === SHELTERS && o.totals.present === expect.present && o.totals.out === expect.out;
  figures.overview_p50_ms = pct(overviewMs, 50);
  figures.overview_p99_ms = pct(overviewMs, 99);
  console.log(`overview after changes (a shelter and outside): p50 ${fmt(figures.overview_p50_ms)} ms  p99 ${fmt(figures.overview_p99_ms)} ms  max ${fmt(Math.max(...overviewMs))} ms over ${OVERVIEW_REQUESTS} requests `
    + `(${o.shelters.length} shelters, present ${o.totals.present}, out ${o.totals.out}, ${Math.round(last.bytes / 1024)} KiB)`);
  if (!okOverview) {
    failed = true;
    console.error(`✗ overview does not match the database: ${benchRows.length}/${SHELTERS} shelters, present ${o.totals.present}/${expect.present}, out ${o.totals.out}/${expect.out}`);
  }

  // 2. Page render in Chromium.
  if (RENDER_RUNS === 0) { failed = true; console.error('✗ render skipped (BENCH_RENDER_RUNS=0)'); }
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  onCleanup(() => browser.close());
  const renders = [];
  const warmRenders = [];
  const liveRenders = [];
  // After the cold runs (only with RENDER_RUNS > 0): one warm run (the snapshot of the previous run
  // still holds), then one as during a disaster: a real check-in first, so the server re-counts that
  // shelter before answering (the other 999 come from its snapshot).
  const runs = RENDER_RUNS > 0 ? RENDER_RUNS + 2 : 0;
  for (let i = 0; i < runs; i++) {
    const warm = i === RENDER_RUNS;
    const live = i === RENDER_RUNS + 1;
    if (!warm && !live) await changeNotices();
    if (live) {
      const { rows: [person] } = await db.query(
        `insert into evacuee (municipality_code, household_id, source, sex, language) values ($1, gen_random_uuid(), 'staff-entry', 'male', 'ja') returning id`, [CODE]);
      await api(server, agent, 'POST', `/api/municipalities/${CODE}/shelters/${seeded.shelterIds[1]}/stays`, { idempotencyKey: crypto.randomUUID(), evacueeIds: [person.id] }, [201]);
      await sleep(100); // the notice reaches the server's listener
    }
    const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1400, height: 900 } });
    await context.addCookies([{ name: 'kazashi_session', value: agent.sessionToken, url: server.baseUrl }]);
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const wall0 = performance.now();
    await page.goto(`${server.baseUrl}/hq`, { waitUntil: 'commit' });
    let ms;
    try {
      // Measured in the page: performance.now() counts from its navigation start.
      const handle = await page.waitForFunction((n) => {
        const table = document.querySelector('[data-testid="hq-shelter-table"]');
        if (!table) return false;
        const rows = table.querySelectorAll('[data-shelter-id]').length;
        // Windowed: the table says how many rows it has (the header row is one) and draws those on screen.
        const windowed = Number(table.getAttribute('aria-rowcount') ?? 0) - 1;
        return rows >= n || (windowed >= n && rows > 0) ? performance.now() : false;
      }, SHELTERS, { polling: 'raf', timeout: 60_000 });
      ms = await handle.jsonValue();
    } catch (err) {
      const rows = await page.locator('[data-testid="hq-shelter-table"] [data-shelter-id]').count().catch(() => -1);
      throw new Error(`/hq did not show ${SHELTERS} shelter rows within 60 s (${rows} rows; url ${page.url()}; page errors: ${pageErrors.join(' | ') || 'none'}): ${err.message}`, { cause: err });
    }
    const wall = performance.now() - wall0;
    // Not timed: the end of the list can be reached (a windowed table draws its last row there).
    await page.evaluate(() => {
      window.scrollTo(0, document.documentElement.scrollHeight);
      for (let el = document.querySelector('[data-testid="hq-shelter-rows"]'); el; el = el.parentElement) {
        if (el.scrollHeight > el.clientHeight + 1 && getComputedStyle(el).overflowY !== 'visible') el.scrollTop = el.scrollHeight;
      }
    });
    await page.waitForFunction((n) => {
      const table = document.querySelector('[data-testid="hq-shelter-table"]');
      return !!table && (table.querySelectorAll('[data-shelter-id]').length >= n || !!table.querySelector(`[data-shelter-id][aria-rowindex="${n + 1}"]`));
    }, SHELTERS, { timeout: 10_000 }).catch(() => { throw new Error(`the last of ${SHELTERS} rows did not appear after scrolling to the end of /hq`); });
    // Where the time went: the overview's download (resource timing) versus building the table.
    const overviewAt = await page.evaluate(() => {
      const e = performance.getEntriesByType('resource').find((r) => r.name.includes('/hq/overview'));
      return e ? { start: e.startTime, end: e.responseEnd } : null;
    });
    (warm ? warmRenders : live ? liveRenders : renders).push(ms);
    console.log(`render /hq ${warm ? 'warm run' : live ? 'after a check-in' : `run ${i + 1}`}: ${fmt(ms)} ms from navigation start to ${SHELTERS} rows (${fmt(wall)} ms from the test's goto)`
      + (overviewAt ? `; overview requested at ${fmt(overviewAt.start)} ms, received at ${fmt(overviewAt.end)} ms` : ''));
    await context.close();
  }
  await browser.close();
  figures.render_ms = pct(renders, 50);
  figures.render_warm_ms = pct(warmRenders, 50);
  figures.render_after_checkin_ms = pct(liveRenders, 50);

  // 3. Fan-out of one check-in to every SSE client.
  const target = seeded.shelterIds[0];
  const before = o.shelters.find((s) => s.shelterId === target);
  const got = new Map();
  let clientErrors = 0;
  const clients = [];
  for (let i = 0; i < FANOUT_CLIENTS; i += 50) {
    // Fifty at a time: the connection backlog of a busy 2-core box.
    clients.push(...(await Promise.all(Array.from({ length: Math.min(50, FANOUT_CLIENTS - i) }, (_, k) => sseClient(server, agent, (event, data, at) => {
      if (event !== 'shelter' || got.has(i + k)) return;
      try {
        const s = JSON.parse(data);
        if (s.shelterId === target && s.present === before.present + 1) got.set(i + k, at);
      } catch { clientErrors++; }
    })))));
  }
  onCleanup(() => clients.forEach((c) => c.close()));
  await sleep(500);
  const t0 = performance.now();
  const res = await api(server, agent, 'POST', `/api/municipalities/${CODE}/shelters/${target}/stays`,
    { idempotencyKey: crypto.randomUUID(), evacueeIds: [newcomer], acceptFull: true }, [201]);
  const postMs = performance.now() - t0;
  const deadline = Date.now() + 10_000;
  while (got.size < FANOUT_CLIENTS && Date.now() < deadline) await sleep(5);
  const delays = [...got.values()].map((at) => at - t0);
  clients.forEach((c) => c.close());
  figures.fanout_clients = got.size;
  figures.fanout_max_ms = delays.length ? Math.max(...delays) : NaN;
  figures.fanout_p50_ms = pct(delays, 50);
  console.log(`fan-out: check-in answered ${res.status} in ${fmt(postMs)} ms; ${got.size}/${FANOUT_CLIENTS} clients got the shelter event: `
    + `p50 ${fmt(figures.fanout_p50_ms)} ms  max ${fmt(figures.fanout_max_ms)} ms after sending the check-in`);
  if (got.size !== FANOUT_CLIENTS || clientErrors) {
    failed = true;
    console.error(`✗ ${FANOUT_CLIENTS - got.size} SSE clients missed the event within 10 s; ${clientErrors} unparsable frames`);
  }
} catch (err) {
  failed = true;
  console.error(`bench failed: ${err instanceof Error ? err.stack ?? err.message : err}`);
} finally {
  await cleanup();
}

if (failed) process.exitCode = 1;
const v = (k) => (figures[k] === undefined ? 'NaN' : Number.isInteger(figures[k]) ? String(figures[k]) : fmt(figures[k]));
console.log(`overview_p50_ms=${v('overview_p50_ms')} overview_p99_ms=${v('overview_p99_ms')} overview_warm_p50_ms=${v('overview_warm_p50_ms')} overview_full_ms=${v('overview_full_ms')} `
  + `render_ms=${v('render_ms')} render_warm_ms=${v('render_warm_ms')} render_after_checkin_ms=${v('render_after_checkin_ms')} `
  + `fanout_clients=${v('fanout_clients')} fanout_max_ms=${v('fanout_max_ms')} fanout_p50_ms=${v('fanout_p50_ms')} shelters=${SHELTERS} stays=${STAYS}`);

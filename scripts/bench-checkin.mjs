// `npm run bench:checkin`: shelter check-ins per second and latency on PostgreSQL, at increasing
// concurrency. On a fresh database the built server runs in a child process (logging off); as the owner
// we insert one open disaster, BENCH_CHECKIN_SHELTERS open shelters with room for everyone, and
// BENCH_CHECKIN_EVACUEES evacuees of 282227 (households of three), so that every check-in is a new
// person. The demo shelter staff (yabu.shelter) then checks people in one per request —
// POST /api/municipalities/282227/shelters/:id/stays {idempotencyKey: new uuid, evacueeIds: [one id]}
// — with autocannon, the shelters taken in turn, at each concurrency level for BENCH_SECONDS.
// Every response must be 201. Afterwards the database must hold exactly one stay per answered check-in
// (plus at most the requests still in flight when autocannon stopped), no person twice, and a replayed
// request must answer created=false without a new stay. Then pgbench TPC-B runs on a scratch database
// of the same PostgreSQL server, for scale.
// Env: BENCH_CHECKIN_LEVELS (default 1,8,16,32,64), BENCH_SECONDS (per level, default 8),
//      BENCH_CHECKIN_SHELTERS (default 50), BENCH_CHECKIN_EVACUEES (default 150000),
//      BENCH_P99_TARGET_MS (default 50), BENCH_PGBENCH (path; default /usr/lib/postgresql/15/bin/pgbench; "off" skips),
//      BENCH_DATABASE_URL (admin URL; default postgres://postgres@127.0.0.1:5432/postgres; for the Unix socket,
//      postgres://postgres@localhost/postgres?host=/var/run/postgresql — the server and pgbench both use it), BENCH_NO_BUILD=1.
// The last line is machine-readable key=value figures.
import crypto from 'node:crypto';
import fs from 'node:fs';
import autocannon from 'autocannon';
import {
  ADMIN_URL, CODE, api, cleanup, ensureBuilt, fmt, freshDatabase, login, ownerClient, run, seedDisasterAndShelters, sleep, startServer,
} from './lib/shelterBench.mjs';

const LEVELS = (process.env.BENCH_CHECKIN_LEVELS ?? '1,8,16,32,64').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const SHELTERS = Number(process.env.BENCH_CHECKIN_SHELTERS ?? 50);
const EVACUEES = Number(process.env.BENCH_CHECKIN_EVACUEES ?? 150_000);
const P99_TARGET = Number(process.env.BENCH_P99_TARGET_MS ?? 50);
const PGBENCH = process.env.BENCH_PGBENCH ?? '/usr/lib/postgresql/15/bin/pgbench';
for (const [k, v] of Object.entries({ LEVELS: Math.min(...LEVELS), SECONDS, SHELTERS, EVACUEES })) {
  if (!(v > 0)) throw new Error(`bad ${k}: must be positive numbers`);
}

/** One autocannon run of check-ins; every request a new person and a new idempotency key. */
function checkIns({ server, agent, connections, seconds, shelterIds, take, answered, refused }) {
  let turn = 0;
  return new Promise((resolve, reject) => {
    autocannon({
      url: server.baseUrl, connections, pipelining: 1, duration: seconds, timeout: 30,
      headers: { ...agent.headers, 'content-type': 'application/json' },
      requests: [{
        method: 'POST',
        setupRequest: (req) => {
          const shelterId = shelterIds[turn++ % shelterIds.length];
          return { ...req, path: `/api/municipalities/${CODE}/shelters/${shelterId}/stays`, body: JSON.stringify({ idempotencyKey: crypto.randomUUID(), evacueeIds: [take()] }) };
        },
        onResponse: (status, body) => {
          if (status === 201) {
            const r = JSON.parse(body);
            if (r.created !== true || r.stays?.length !== 1) refused.push(`201 without one created stay: ${body.slice(0, 200)}`);
            else answered.push(r.stays[0].evacueeId);
          } else refused.push(`${status} ${body.slice(0, 300)}`);
        },
      }],
    }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

let failed = false;
const levels = [];
let pgbenchTps;
try {
  ensureBuilt({ web: false });
  console.log(`Check-in benchmark: levels ${LEVELS.join(', ')}, ${SECONDS} s each, ${SHELTERS} shelters, ${EVACUEES} evacuees (PostgreSQL ${ADMIN_URL.replace(/\/\/[^@]*@/, '//')})`);
  const { url } = await freshDatabase('kazashi_bench_checkin');
  const server = await startServer(url);
  const db = await ownerClient(url);

  console.log('› seeding (SQL as the owner)…');
  const { shelterIds } = await seedDisasterAndShelters(db, { count: SHELTERS, capacity: '1000000' });
  await db.query(
    `insert into evacuee (id, municipality_code, household_id, source, needs, sex, language, consent_inquiry)
     select gen_random_uuid(), $1, md5('bench-household-' || (n / 3))::uuid, 'staff-entry',
            case when n % 17 = 0 then array['allergy'] when n % 29 = 0 then array['care'] else '{}'::text[] end,
            case n % 2 when 0 then 'female' else 'male' end, case when n % 40 = 0 then 'en' else 'ja' end, true
       from generate_series(1, $2::int) n`, [CODE, EVACUEES]);
  await db.query('analyze');
  const ids = (await db.query('select id from evacuee where municipality_code = $1 and source = $2 order by id', [CODE, 'staff-entry'])).rows.map((r) => r.id);
  let next = 0;
  const handedOut = new Set();
  const take = () => {
    if (next >= ids.length) throw new Error(`all ${ids.length} evacuees used: raise BENCH_CHECKIN_EVACUEES`);
    const id = ids[next++];
    handedOut.add(id);
    return id;
  };

  const agent = await login(server, 'yabu.shelter');
  // One check-in through fetch first: a clear error if the endpoint is missing or refuses, before any load.
  const probeId = take();
  const probe = await api(server, agent, 'POST', `/api/municipalities/${CODE}/shelters/${shelterIds[0]}/stays`, { idempotencyKey: crypto.randomUUID(), evacueeIds: [probeId] }, [201]);
  const answered = [probe.json.stays[0].evacueeId];
  const refused = [];
  let inFlightAtStop = 0;

  console.log('› warm-up (2 s, 8 connections, not reported)…');
  await checkIns({ server, agent, connections: 8, seconds: 2, shelterIds, take, answered, refused });
  inFlightAtStop += 8;
  for (const c of LEVELS) {
    const r = await checkIns({ server, agent, connections: c, seconds: SECONDS, shelterIds, take, answered, refused });
    inFlightAtStop += c;
    const row = {
      concurrency: c, rps: r.requests.total / r.duration, p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, total: r.requests.total,
      ok: r['2xx'], non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts,
    };
    levels.push(row);
    console.log(`  concurrency ${String(c).padStart(3)}: ${fmt(row.rps).padStart(7)} check-ins/s  p50 ${fmt(row.p50)} ms  p99 ${fmt(row.p99)} ms  max ${fmt(row.max)} ms  (${row.ok} × 201, non-2xx ${row.non2xx}, errors ${row.errors}, timeouts ${row.timeouts})`);
    await sleep(500);
  }
  for (const r of refused.slice(0, 5)) console.error(`  ✗ refused: ${r}`);
  if (refused.length) failed = true;

  // Integrity: one stay per answered check-in; requests cut off when autocannon stopped may have committed too.
  await sleep(1000);
  const { rows: [s] } = await db.query(
    `select count(*)::int as stays, count(distinct evacuee_id)::int as people, count(distinct idempotency_key)::int as keys,
            (select count(*)::int from stay_movement where municipality_code = $1 and kind = 'check-in') as movements
       from shelter_stay where municipality_code = $1`, [CODE]);
  const stayIds = new Set((await db.query('select evacuee_id from shelter_stay where municipality_code = $1', [CODE])).rows.map((r) => r.evacuee_id));
  const missing = answered.filter((id) => !stayIds.has(id)).length;
  const foreign = [...stayIds].filter((id) => !handedOut.has(id)).length;
  const extra = s.stays - answered.length;
  const okIntegrity = s.stays === s.people && s.stays === s.keys && missing === 0 && foreign === 0 && new Set(answered).size === answered.length
    && extra >= 0 && extra <= inFlightAtStop && s.movements === s.stays;
  console.log(`\nintegrity: ${answered.length} check-ins answered 201; ${s.stays} stays in the database (${s.people} people, ${s.keys} keys, ${s.movements} check-in movements); `
    + `${extra} committed by requests cut off at the end of a level (≤ ${inFlightAtStop} in flight); ${missing} answered without a stay; ${foreign} for people never sent`);
  if (!okIntegrity) { failed = true; console.error('✗ stays do not match the answered check-ins'); }

  // A replay (same key and person) must answer 200 created=false and write nothing.
  const replayKey = crypto.randomUUID();
  const replayId = take();
  const body = { idempotencyKey: replayKey, evacueeIds: [replayId] };
  const first = await api(server, agent, 'POST', `/api/municipalities/${CODE}/shelters/${shelterIds[1]}/stays`, body, [201]);
  const again = await api(server, agent, 'POST', `/api/municipalities/${CODE}/shelters/${shelterIds[1]}/stays`, body, [200]);
  const { rows: [rep] } = await db.query('select count(*)::int as n from shelter_stay where evacuee_id = $1', [replayId]);
  const replayOk = again.json.created === false && again.json.stays[0]?.stayId === first.json.stays[0]?.stayId && rep.n === 1;
  console.log(`replay of a check-in: ${again.status} created=${again.json.created}, same stay ${again.json.stays[0]?.stayId === first.json.stays[0]?.stayId}, stays for that person ${rep.n}`);
  if (!replayOk) { failed = true; console.error('✗ a replayed check-in was not idempotent'); }
  await server.stop(); // pgbench gets the PostgreSQL server to itself

  if (PGBENCH !== 'off') {
    if (!fs.existsSync(PGBENCH)) throw new Error(`pgbench not found at ${PGBENCH} (set BENCH_PGBENCH, or off)`);
    const scratch = await freshDatabase('kazashi_bench_pgbench');
    const u = new URL(scratch.url);
    // Same transport as the server's connections: TCP, or the Unix socket directory given as ?host=.
    const conn = ['-h', u.searchParams.get('host') || u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username || 'postgres')];
    const env = { ...process.env, ...(u.password ? { PGPASSWORD: decodeURIComponent(u.password) } : {}) };
    console.log('\n› pgbench TPC-B on a scratch database: -i -s 10, then -c 8 -j 2 -T 15…');
    await run(PGBENCH, ['-i', '-s', '10', '-q', ...conn, scratch.name], { env });
    const out = await run(PGBENCH, ['-c', '8', '-j', '2', '-T', '15', ...conn, scratch.name], { env });
    const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(out) ?? /tps = ([\d.]+)/.exec(out);
    if (!m) throw new Error(`no tps in pgbench output:\n${out}`);
    pgbenchTps = Number(m[1]);
    console.log(`pgbench TPC-B (scale 10, 8 clients): ${fmt(pgbenchTps)} tps`);
  }
} catch (err) {
  failed = true;
  console.error(`bench failed: ${err instanceof Error ? err.stack ?? err.message : err}`);
} finally {
  await cleanup();
}

const bad = levels.filter((l) => l.non2xx > 0 || l.errors > 0 || l.timeouts > 0 || l.ok !== l.total || l.total === 0);
for (const l of bad) console.error(`✗ concurrency ${l.concurrency}: ${l.non2xx} non-2xx, ${l.errors} errors, ${l.timeouts} timeouts of ${l.total}`);
if (bad.length) failed = true;
const meeting = levels.filter((l) => l.p99 < P99_TARGET && !bad.includes(l));
const best = (meeting.length ? meeting : levels).reduce((a, b) => (b.rps > a.rps ? b : a), levels[0]);
if (best) {
  console.log(meeting.length
    ? `best level with p99 < ${P99_TARGET} ms: concurrency ${best.concurrency} (${fmt(best.rps)} check-ins/s)`
    : `✗ no level met p99 < ${P99_TARGET} ms; the fastest was concurrency ${best.concurrency}`);
}
if (failed) process.exitCode = 1;
console.log([
  `checkins_per_s=${best ? Math.round(best.rps) : 'NaN'}`, `p50_ms=${best ? fmt(best.p50) : 'NaN'}`, `p99_ms=${best ? fmt(best.p99) : 'NaN'}`,
  `concurrency=${best?.concurrency ?? 'NaN'}`, `p99_target_met=${meeting.length > 0}`,
  ...levels.map((l) => `c${l.concurrency}_per_s=${Math.round(l.rps)} c${l.concurrency}_p99_ms=${fmt(l.p99)}`),
  `errors=${levels.reduce((n, l) => n + l.non2xx + l.errors + l.timeouts, 0)}`, `pgbench_tps=${pgbenchTps !== undefined ? Math.round(pgbenchTps) : 'NaN'}`,
].join(' '));

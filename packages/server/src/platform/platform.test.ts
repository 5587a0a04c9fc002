import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { seedDemo, DemoRefusedError } from '../demo/seed.js';
import { DEMO_RESIDENTS } from '../resident/index.js';
import { describeEachEngine, loginAs, startTestPlatform, type TestPlatform } from '../test/harness.js';

describeEachEngine('platform endpoints', (engine) => {
  let t: TestPlatform;
  beforeAll(async () => { t = await startTestPlatform(engine); });
  afterAll(async () => t?.close());

  it('/healthz and /readyz answer', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject('/readyz')).json()).toEqual({ status: 'ready', database: engine });
  });

  it('/metrics exposes Prometheus metrics with per-route request durations', async () => {
    await t.app.inject('/api/public/municipalities');
    const res = await t.app.inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/kazashi_http_request_duration_seconds_count\{method="GET",route="\/api\/public\/municipalities",status="200"\} \d+/);
    expect(res.body).toContain('kazashi_process_cpu_seconds_total');
  });

  it('/openapi.json describes the API, with problem+json errors; /docs serves the interactive docs', async () => {
    const spec = (await t.app.inject('/openapi.json')).json();
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/municipalities/{code}/staff', '/api/municipalities/{code}/audit', '/api/municipalities/{code}/vault/migrate']));
    expect(spec.components.schemas.Problem).toBeDefined();
    const docs = await t.app.inject('/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });

  it('the public directory lists both demo municipalities with their services', async () => {
    const dir = (await t.app.inject('/api/public/municipalities')).json<{ code: string; nameJa: string; services: string[] }[]>();
    expect(dir.map((m) => [m.code, m.nameJa])).toEqual([['282227', '養父市'], ['282251', '朝来市']]);
    expect(dir[1]!.services).not.toContain('points');
  });

  it('security headers are set', async () => {
    const res = await t.app.inject('/healthz');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });
});

describeEachEngine('logs', (engine) => {
  let t: TestPlatform;
  let lines = '';
  beforeAll(async () => {
    t = await startTestPlatform(engine);
    const stream = new Writable({ write(chunk, _enc, cb) { lines += chunk; cb(); } });
    await t.app.close();
    t.app = await buildApp(t.platform, { logger: { level: 'debug', stream }, serveWeb: false });
  });
  afterAll(async () => t?.close());

  it('redact personal fields, passwords, TOTP codes and cookies', async () => {
    const admin = await loginAs(t, 'yabu.admin');
    const resident = DEMO_RESIDENTS['282227']![0]!;
    // a request that carries personal data and then fails, so the body may be logged with the error
    t.app.log.info({ body: { personal: { basic: resident } }, nameKanji: resident.nameKanji, password: 'hunter22-secret' }, 'probe');
    await t.app.inject({ method: 'POST', url: '/api/municipalities/282227/residents', headers: admin.headers, payload: { purpose: 'register', personal: { basic: { nameKanji: '記録 されない', address: '兵庫県養父市どこか' } } } });
    expect(lines).toContain('probe');
    expect(lines).toContain('/api/municipalities/282227/residents');
    for (const secret of [resident.nameKanji, resident.address, 'hunter22-secret', t.demo.password, '記録 されない', admin.cookie.split('=')[1]!]) {
      expect(lines).not.toContain(secret);
    }
  });
});

it('demo seeding is refused in production', async () => {
  const t = await startTestPlatform('pglite');
  try {
    (t.platform.config as { production: boolean }).production = true;
    await expect(seedDemo(t.platform)).rejects.toBeInstanceOf(DemoRefusedError);
  } finally {
    await t.close();
  }
});

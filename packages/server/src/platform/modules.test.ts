// The module contract: declarations are owned by one module (a second one is refused, naming both),
// a module can only use the ones listed before it, the wiring names no domain, and a module's
// joint-use service is enforced on every one of its routes.
import fs from 'node:fs';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declaredPermissions, permissionsOf } from '../kernel/callers.js';
import { categoryIds } from '../kernel/dataCategories.js';
import { defineModule } from '../kernel/module.js';
import { modules } from '../modules.js';
import { loginAs, serverRoot, startTestPlatform, type StaffAgent, type TestPlatform } from '../test/harness.js';
import { BuiltModules } from './container.js';
import { registerModuleRoutes } from './app.js';

describe('module declarations', () => {
  it('a permission declared by a second module is refused, naming both', () => {
    expect(() => defineModule({ name: 'test-intruder', summary: 'x', permissions: { 'shelter:operate': { description: 'x', roles: ['shelter_staff'] } }, services: () => ({}) }))
      .toThrow(/permission shelter:operate is declared by both shelter and test-intruder/);
  });

  it('a data category declared by a second module is refused, naming both', () => {
    expect(() => defineModule({ name: 'test-intruder-2', summary: 'x', dataCategories: { evacuee: { fields: [], description: 'x' } }, services: () => ({}) }))
      .toThrow(/data category evacuee is declared by both shelter and test-intruder-2/);
  });

  it('two modules of one name are refused', () => {
    expect(() => defineModule({ name: 'shelter', summary: 'x', services: () => ({}) })).toThrow(/two modules are named shelter/);
  });

  it('every permission is owned by one module, and the roles see what they did before the contract', () => {
    const perms = declaredPermissions();
    expect(new Set(perms.map((p) => p.id)).size).toBe(perms.length);
    expect(perms.find((p) => p.id === 'shelter:command')).toMatchObject({ module: 'shelter', roles: ['municipal_admin', 'disaster_hq'] });
    const staff = (roles: string[]) => ({ id: 'x', loginName: 'x', displayName: 'x', municipalityCode: '282227', roles: roles as never });
    expect(permissionsOf(staff(['shelter_staff']))).toEqual(['qr:validate', 'resident:list', 'shelter:operate']);
    expect(permissionsOf(staff(['election_official']))).toEqual([]);
    expect(categoryIds()).toEqual(expect.arrayContaining(['basic', 'contact', 'evacuee']));
  });

  it('a route another module already has is refused at start-up, naming both', async () => {
    const a = defineModule({ name: 'test-route-a', summary: 'x', services: () => ({}), routes: (app) => { app.get('/api/test/clash', async () => ({})); } });
    const b = defineModule({ name: 'test-route-b', summary: 'x', services: () => ({}), routes: (app) => { app.get('/api/test/clash', async () => ({})); } });
    const built = new BuiltModules({} as never, {} as never, Buffer.alloc(32), {} as never, {});
    built.services.set(a, {});
    built.services.set(b, {});
    const app = Fastify();
    await expect((async () => { await registerModuleRoutes(app, built, [a, b]); await app.ready(); })()).rejects.toThrow(/route GET \/api\/test\/clash is declared by both test-route-a and test-route-b/);
  });

  it('a module that uses one listed after it is told where to move it', () => {
    const late = defineModule({ name: 'test-late', summary: 'x', services: () => ({ late: true }) });
    const early = defineModule({ name: 'test-early', summary: 'x', services: (kit) => kit.use(late) });
    const built = new BuiltModules({} as never, {} as never, Buffer.alloc(32), {} as never, {});
    expect(() => early.services(built.kit(early) as never)).toThrow(/module test-early uses test-late, which is not built yet: list test-late before test-early/);
  });
});

describe('the wiring names no domain', () => {
  it.each(['src/platform/container.ts', 'src/platform/app.ts', 'src/config.ts', 'src/demo/seed.ts', 'src/platform/routes.ts'])('%s', (file) => {
    const text = fs.readFileSync(path.join(serverRoot, file), 'utf8').replace(/^\s*(\/\/|\*|\/\*).*$/gm, '');
    const named = modules.map((m) => m.name).filter((name) => new RegExp(`['"/]${name}[/'".]|\\b${name}Module\\b`).test(text));
    expect(named).toEqual([]);
  });
});

describe('a module’s joint-use service, enforced on its routes', () => {
  let t: TestPlatform;
  let platformAdmin: StaffAgent;
  beforeAll(async () => {
    t = await startTestPlatform('pglite');
    platformAdmin = await loginAs(t, 'yabu.platform');
    const res = await t.app.inject({
      method: 'POST', url: '/api/municipalities', headers: platformAdmin.headers,
      payload: { code: '131016', nameJa: '千代田区', nameEn: 'Chiyoda', prefectureJa: '東京都', prefectureEn: 'Tokyo' },
    });
    expect(res.statusCode, res.body).toBe(201);
  });
  afterAll(async () => t?.close());

  it('a registered municipality that has not joined shelters gets 403 service-not-joined on every shelter route', async () => {
    for (const url of ['/api/public/municipalities/131016/shelters', '/api/municipalities/131016/shelters.csv']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(403);
      expect(res.json().code).toBe('service-not-joined');
    }
    // One that has joined is served; one not registered at all is 404.
    expect((await t.app.inject({ method: 'GET', url: '/api/public/municipalities/282227/shelters' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/public/municipalities/471003/shelters' })).json().code).toBe('municipality-not-found');
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, loginAs, startTestPlatform, type StaffAgent, type TestPlatform } from '../test/harness.js';

describeEachEngine('municipalities and joint use', (engine) => {
  let t: TestPlatform;
  let platform: StaffAgent;
  let yabu: StaffAgent;
  beforeAll(async () => {
    t = await startTestPlatform(engine);
    platform = await loginAs(t, 'yabu.platform');
    yabu = await loginAs(t, 'yabu.admin');
  });
  afterAll(async () => t?.close());

  const groups = async () => (await t.app.inject({ method: 'GET', url: '/api/joint-use-groups', headers: yabu.headers })).json<{ id: string; members: { municipalityCode: string; services: string[] }[] }[]>();

  it('refuses a service to a member that has not joined it, and allows it once joined', async () => {
    expect((await t.app.inject('/api/municipalities/282251/services/shelter')).statusCode).toBe(200);
    const refused = await t.app.inject('/api/municipalities/282251/services/health');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().messages.ja).toContain('参加していません');
    await expect(t.platform.municipalities.requireService('282251', 'health')).rejects.toMatchObject({ code: 'service-not-joined' });
    const asago = await loginAs(t, 'asago.admin');
    const [g] = await groups();
    const res = await t.app.inject({ method: 'PUT', url: `/api/joint-use-groups/${g!.id}/members/282251/services`, headers: asago.headers, payload: { services: ['shelter', 'identity', 'health'] } });
    expect(res.statusCode).toBe(200);
    expect(res.json().services).toEqual(['health', 'identity', 'shelter']);
    expect((await t.app.inject('/api/municipalities/282251/services/health')).statusCode).toBe(200);
    expect((await t.app.inject('/api/municipalities/282251/services/voting')).statusCode).toBe(403);
  });

  it('a platform admin registers a municipality, forms a group and adds members', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/municipalities', headers: platform.headers, payload: { code: '282243', nameJa: '豊岡市', nameEn: 'Toyooka City', prefectureJa: '兵庫県', prefectureEn: 'Hyogo' } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ code: '282243', vaultLocation: 'embedded' });
    const group = await t.app.inject({ method: 'POST', url: '/api/joint-use-groups', headers: platform.headers, payload: { nameJa: '北但馬 避難所連携', nameEn: 'North Tajima shelters' } });
    expect(group.statusCode).toBe(201);
    const member = await t.app.inject({ method: 'POST', url: `/api/joint-use-groups/${group.json().id}/members`, headers: platform.headers, payload: { municipalityCode: '282243', services: ['shelter'] } });
    expect(member.statusCode).toBe(201);
    const dir = (await t.app.inject('/api/public/municipalities')).json<{ code: string; services: string[]; groups: unknown[] }[]>();
    expect(dir.find((m) => m.code === '282243')).toMatchObject({ services: ['shelter'], groups: [{ nameJa: '北但馬 避難所連携' }] });
    // a municipal admin sees only its own municipality in the admin list
    const own = (await t.app.inject({ method: 'GET', url: '/api/municipalities', headers: yabu.headers })).json<{ code: string }[]>();
    expect(own.map((m) => m.code)).toEqual(['282227']);
  });

  it('a municipal admin renames its own municipality', async () => {
    const res = await t.app.inject({ method: 'PATCH', url: '/api/municipalities/282227', headers: yabu.headers, payload: { nameEn: 'Yabu' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ code: '282227', nameJa: '養父市', nameEn: 'Yabu' });
  });
});

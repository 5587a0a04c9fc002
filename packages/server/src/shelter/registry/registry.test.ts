// The shelter registry end to end through HTTP on both engines: the open data CSV import (all or
// nothing, dry runs, upserts) and the public export round trip, tenancy and RLS, disasters, opening
// and closing shelters with their status history and change notifications.
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { auditEntries, describeEachEngine, loginAs, type StaffAgent, type TestPlatform, startTestPlatform } from '../../test/harness.js';
import { CSV_COLUMNS } from './openData.js';
import { decodeShelterChange, SHELTER_CHANNEL, type ShelterChange } from '../hq/notify.js';
import { shelter } from '../schema.js';
import type { CsvImportReport, DisasterView, ShelterStatusEventView, ShelterView } from '../contract.js';

const YABU = '282227';
const ASAGO = '282251';

/** A canonical CSV (as the export writes it): BOM, CRLF, standard columns, quoted commas and line breaks. */
function canonical(rows: string[][]): string {
  const q = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return '\uFEFF' + [CSV_COLUMNS as readonly string[], ...rows].map((r) => r.map(q).join(',')).join('\r\n') + '\r\n';
}
// Cells in CSV_COLUMNS order: code, ID, 地方公共団体名, 名称, カナ, 英字, 所在地, 緯度, 経度, 標高, 電話,
// 8 hazards, 重複, 収容, 町会, URL, 備考, 種別, 夜間, 全国避難所ID.
const R01 = [YABU, 'R01', '養父市', '養父市立八鹿中学校', 'ヤブシリツヨウカチュウガッコウ', 'Yoka Junior High School, main gym', '兵庫県養父市八鹿町国木500',
  '35.4122', '134.7720', '88.5', '079-662-2151', '1', '1', '', '1', '', '1', '1', '', '1', '800', '八鹿区、国木区、朝倉区', 'https://www.city.yabu.hyogo.jp/',
  '体育館と武道場\n駐車場は50台', '一般', '500', '28222700000101'];
const R02 = [YABU, 'R02', '養父市', '"大藪" 地区集会所', 'オオヤブチクシュウカイジョ', '', '兵庫県養父市大藪123', '35.4010', '134.7800', '', '', '', '', '', '1', '', '', '', '', '', '40', '', '', '', '一般', '', ''];
const R03 = [YABU, 'R03', '養父市', '養父市社会福祉協議会 八鹿事務所', 'ヤブシシャカイフクシキョウギカイ', 'Yabu Social Welfare Council', '兵庫県養父市八鹿町八鹿1220-1',
  '35.4061', '134.7698', '83', '079-662-7610', '1', '', '', '1', '', '1', '', '', '', '30', '市内全域', '', '要配慮者のみ', '福祉', '20', ''];

describeEachEngine('shelter registry', (engine) => {
  let t: TestPlatform;
  let hq: StaffAgent;
  let staff: StaffAgent;
  let asago: StaffAgent;
  const changes: ShelterChange[] = [];
  let unlisten: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    t = await startTestPlatform(engine);
    hq = await loginAs(t, 'yabu.hq');
    staff = await loginAs(t, 'yabu.shelter');
    asago = await loginAs(t, 'asago.admin');
    unlisten = await t.platform.db.listen(SHELTER_CHANNEL, (p) => { const c = decodeShelterChange(p); if (c) changes.push(c); });
  }, 120_000);
  afterAll(async () => { await unlisten?.(); await t?.close(); });

  const importCsv = (code: string, body: string, agent: StaffAgent, dryRun = false) => t.app.inject({
    method: 'POST', url: `/api/municipalities/${code}/shelters/import?dryRun=${dryRun}`,
    headers: { ...agent.headers, 'content-type': 'text/csv; charset=utf-8' }, payload: body,
  });
  const list = async (code = YABU, agent = staff) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/municipalities/${code}/shelters`, headers: agent.headers });
    expect(res.statusCode).toBe(200);
    return res.json<ShelterView[]>();
  };
  const send = (method: 'POST' | 'PUT' | 'PATCH', url: string, payload: object | undefined, agent = hq) =>
    t.app.inject({ method, url, headers: agent.headers, ...(payload ? { payload } : {}) });
  const byLocalId = async (localId: string) => (await list()).find((s) => s.localId === localId)!;
  async function waitFor(pred: () => boolean) {
    for (let i = 0; i < 100 && !pred(); i++) await new Promise((r) => setTimeout(r, 20));
    return pred();
  }

  it('seeds the demo registries through the import: eight shelters each, one welfare shelter', async () => {
    for (const [code, agent] of [[YABU, staff], [ASAGO, asago]] as const) {
      const shelters = await list(code, agent);
      expect(shelters).toHaveLength(8);
      expect(shelters.filter((s) => s.kind === 'welfare')).toHaveLength(1);
      expect(shelters.every((s) => s.status === 'closed' && s.latitude && s.capacity)).toBe(true);
    }
    expect((await auditEntries(t, 'shelter.import', YABU)).map((e) => e.actor)).toEqual(['system:demo-seed']);
  });

  it('round-trips the open data CSV: import, public export, same rows and the same bytes', async () => {
    const input = canonical([R01, R02, R03]);
    const res = await importCsv(YABU, input, hq);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<CsvImportReport>()).toEqual({ created: 3, updated: 0, unchanged: 0, errors: [], dryRun: false });

    // Public: no cookie at all.
    const exp = await t.app.inject({ method: 'GET', url: `/api/municipalities/${YABU}/shelters.csv` });
    expect(exp.statusCode).toBe(200);
    expect(exp.headers['content-type']).toMatch(/^text\/csv/);
    const parsedIn = parse(input, { bom: true }) as string[][];
    const parsedOut = parse(exp.body, { bom: true }) as string[][];
    expect(parsedOut[0]).toEqual(parsedIn[0]);
    expect(parsedOut.filter((r) => r[1]!.startsWith('R'))).toEqual(parsedIn.slice(1));
    expect(parsedOut).toHaveLength(1 + 8 + 3);
    // Canonical input: the data rows come back byte for byte (they sort after the demo IDs).
    const dataRows = input.slice(input.indexOf('\r\n') + 2);
    expect(exp.body.endsWith(dataRows)).toBe(true);
    expect(exp.body.startsWith('\uFEFF' + CSV_COLUMNS.join(',') + '\r\n')).toBe(true);

    const r01 = await byLocalId('R01');
    expect(r01).toMatchObject({ nationalId: '28222700000101', elevation: '88.5', hazards: ['flood', 'landslide', 'earthquake', 'fire', 'inland_flood'],
      alsoEvacuationCentre: true, capacity: 800, capacityNight: 500, note: '体育館と武道場\n駐車場は50台', kind: 'general' });
    expect((await byLocalId('R03')).kind).toBe('welfare');
  });

  it('imports a non-canonical variant (○ and 0 flags, LF, no BOM) and exports it in canonical form', async () => {
    const variant = [...R03];
    variant[1] = 'R30';
    variant.splice(11, 8, '○', '0', '', '○', '0', '○', '', '0');
    const text = [CSV_COLUMNS.join(','), variant.map((v) => (/[",\n]/.test(v) ? `"${v}"` : v)).join(',')].join('\n') + '\n';
    const res = await importCsv(YABU, text, hq);
    expect(res.statusCode, res.body).toBe(200);
    const exp = await t.app.inject({ method: 'GET', url: `/api/municipalities/${YABU}/shelters.csv` });
    const out = (parse(exp.body, { bom: true }) as string[][]).find((r) => r[1] === 'R30');
    const expected = [...R03];
    expected[1] = 'R30';
    expected.splice(11, 8, '1', '', '', '1', '', '1', '', '');
    expect(out).toEqual(expected);
  });

  it('re-importing updates by ID instead of duplicating, audited once per import', async () => {
    const changed = [...R02];
    changed[3] = '大藪地区集会所（改修済）';
    changed[20] = '60';
    const before = (await auditEntries(t, 'shelter.import', YABU)).length;
    const res = await importCsv(YABU, canonical([R01, changed, R03]), hq);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<CsvImportReport>()).toMatchObject({ created: 0, updated: 1, unchanged: 2 });
    const shelters = await list();
    expect(shelters).toHaveLength(12);
    expect(shelters.find((s) => s.localId === 'R02')).toMatchObject({ nameJa: '大藪地区集会所（改修済）', capacity: 60 });
    const audits = await auditEntries(t, 'shelter.import', YABU);
    expect(audits).toHaveLength(before + 1);
    expect(audits.at(-1)).toMatchObject({ actor: 'staff:yabu.hq' });
    expect(audits.at(-1)!.purpose).toContain('1 updated');
  });

  it('moves a national ID between two shelters of one file; concurrent identical imports create once', async () => {
    const r01 = [...R01];
    r01[26] = '28222700000199';
    const r03 = [...R03];
    r03[26] = '28222700000101';
    const moved = await importCsv(YABU, canonical([r01, r03]), hq);
    expect(moved.statusCode, moved.body).toBe(200);
    expect((await byLocalId('R03')).nationalId).toBe('28222700000101');
    expect((await byLocalId('R01')).nationalId).toBe('28222700000199');
    const back = await importCsv(YABU, canonical([R01, R03]), hq);
    expect(back.json<CsvImportReport>()).toMatchObject({ updated: 2 });

    const r40 = [...R02];
    r40[1] = 'R40';
    const [x, y] = await Promise.all([importCsv(YABU, canonical([r40]), hq), importCsv(YABU, canonical([r40]), hq)]);
    expect([x.statusCode, y.statusCode]).toEqual([200, 200]);
    expect([x.json<CsvImportReport>().created, y.json<CsvImportReport>().created].sort()).toEqual([0, 1]);
    expect((await list()).filter((s) => s.localId === 'R40')).toHaveLength(1);
  });

  it('a dry run reports what would change and writes nothing', async () => {
    const renamed = [...R01];
    renamed[3] = '八鹿中学校（仮）';
    const R09 = [...R02];
    R09[1] = 'R09';
    const before = (await auditEntries(t, 'shelter.import', YABU)).length;
    const res = await importCsv(YABU, canonical([renamed, R09]), hq, true);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<CsvImportReport>()).toEqual({ created: 1, updated: 1, unchanged: 0, errors: [], dryRun: true });
    const shelters = await list();
    expect(shelters).toHaveLength(13);
    expect(shelters.find((s) => s.localId === 'R01')!.nameJa).toBe('養父市立八鹿中学校');
    expect(await auditEntries(t, 'shelter.import', YABU)).toHaveLength(before);
  });

  it('any row error: 422 csv-invalid with row numbers, and nothing written (dry run too)', async () => {
    const good = [...R01];
    good[1] = 'R10';
    good[26] = '';
    const badLat = [...R02]; badLat[1] = 'R11'; badLat[7] = '135.5';
    const noName = [...R02]; noName[1] = 'R12'; noName[3] = '';
    const badFlag = [...R02]; badFlag[1] = 'R13'; badFlag[11] = 'x';
    const dup = [...R02]; dup[1] = 'R10';
    const shortNational = [...R02]; shortNational[1] = 'R14'; shortNational[26] = '2822270000010';
    const takenNational = [...R02]; takenNational[1] = 'R15'; takenNational[26] = '28222700000101';
    const before = await list();
    const auditsBefore = (await auditEntries(t, 'shelter.import', YABU)).length;
    for (const dryRun of [false, true]) {
      const res = await importCsv(YABU, canonical([good, badLat, noName, badFlag, dup, shortNational, takenNational]), hq, dryRun);
      expect(res.statusCode).toBe(422);
      const problem = res.json<{ code: string; errors: { path: string; message: string }[]; messages: { ja: string; en: string } }>();
      expect(problem.code).toBe('csv-invalid');
      expect(problem.errors.map((e) => e.path)).toEqual([
        'row 3: 緯度', 'row 4: 名称', 'row 5: 災害種別_洪水', 'row 6: ID', 'row 7: 全国避難所ID', 'row 8: 全国避難所ID',
      ]);
      expect(problem.messages.ja).toContain('6件');
      expect(problem.messages.en).toContain('Nothing was imported');
    }
    expect(await list()).toEqual(before);
    expect(await auditEntries(t, 'shelter.import', YABU)).toHaveLength(auditsBefore);
    // Another municipality's code in the file, and a body that is not CSV at all.
    const foreign = [...R01]; foreign[0] = ASAGO;
    expect((await importCsv(YABU, canonical([foreign]), hq)).json<{ errors: { path: string }[] }>().errors[0]!.path).toBe('row 2: 全国地方公共団体コード');
    const json = await t.app.inject({ method: 'POST', url: `/api/municipalities/${YABU}/shelters/import`, headers: hq.headers, payload: { rows: [] } });
    expect(json.statusCode).toBe(400);
    const empty = await importCsv(YABU, '', hq);
    expect([empty.statusCode, empty.json<{ code: string }>().code]).toEqual([422, 'csv-invalid']);
  });

  it('tenancy: Asago staff cannot import or edit Yabu shelters; RLS refuses foreign writes', async () => {
    const r01 = await byLocalId('R01');
    expect((await importCsv(YABU, canonical([R01]), asago)).statusCode).toBe(403);
    expect((await send('PATCH', `/api/municipalities/${YABU}/shelters/${r01.id}`, { nameJa: '乗っ取り' }, asago)).statusCode).toBe(403);
    expect((await send('POST', `/api/municipalities/${YABU}/shelters`, { localId: 'X1', nameJa: '乗っ取り' }, asago)).statusCode).toBe(403);
    // Through its own code, a Yabu shelter id is simply not Asago's.
    const viaOwn = await send('PATCH', `/api/municipalities/${ASAGO}/shelters/${r01.id}`, { nameJa: '乗っ取り' }, asago);
    expect(viaOwn.statusCode).toBe(404);
    expect(viaOwn.json<{ code: string }>().code).toBe('shelter-not-found');
    // shelter staff read but do not edit the registry.
    expect((await importCsv(YABU, canonical([R01]), staff)).statusCode).toBe(403);

    await expect(t.platform.db.tenant({ municipalityCode: ASAGO }, (tx) =>
      tx.insert(shelter).values({ municipalityCode: YABU, localId: 'RLS1', nameJa: '越境' }))).rejects.toThrow();
    const updated = await t.platform.db.tenant({ municipalityCode: ASAGO }, (tx) =>
      tx.update(shelter).set({ nameJa: '越境' }).where(sql`${shelter.id} = ${r01.id}`).returning());
    expect(updated).toEqual([]);
    // Reading is open: the registry is open data.
    const seen = await t.platform.db.tenant({ municipalityCode: ASAGO }, (tx) => t.platform.shelters.registry.shelterIn(tx, r01.id));
    expect(seen?.nameJa).toBe('養父市立八鹿中学校');
  });

  it('creates and edits one shelter with the same validation as the import', async () => {
    const created = await send('POST', `/api/municipalities/${YABU}/shelters`, { localId: 'R20', nameJa: '臨時避難所', latitude: '35.40', longitude: '134.77', hazards: ['fire', 'flood'], capacity: 100 });
    expect(created.statusCode, created.body).toBe(201);
    const s = created.json<ShelterView>();
    expect(s).toMatchObject({ localId: 'R20', hazards: ['flood', 'fire'], status: 'closed', latitude: '35.40', kind: 'general' });
    expect((await send('POST', `/api/municipalities/${YABU}/shelters`, { localId: 'R20', nameJa: '重複' })).statusCode).toBe(400);
    const badLat = await send('PATCH', `/api/municipalities/${YABU}/shelters/${s.id}`, { latitude: '91' });
    expect(badLat.statusCode).toBe(400);
    expect(badLat.json<{ errors: { path: string }[] }>().errors[0]!.path).toBe('緯度');
    const taken = await send('PATCH', `/api/municipalities/${YABU}/shelters/${s.id}`, { nationalId: '28222700000101' });
    expect(taken.statusCode).toBe(400);
    const patched = await send('PATCH', `/api/municipalities/${YABU}/shelters/${s.id}`, { capacity: 120, kind: 'welfare' });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json<ShelterView>()).toMatchObject({ capacity: 120, kind: 'welfare', nameJa: '臨時避難所' });
  });

  it('opening needs an active disaster; status history per disaster; ending closes the shelters', async () => {
    const a = await byLocalId('001');
    const b = await byLocalId('002');
    const status = (id: string, body: object, agent = hq) => send('PUT', `/api/municipalities/${YABU}/shelters/${id}/status`, body, agent);

    const noDisaster = await status(a.id, { status: 'open' });
    expect(noDisaster.statusCode).toBe(422);
    expect(noDisaster.json<{ code: string }>().code).toBe('disaster-required');
    expect((await status(a.id, { status: 'closed' })).json<{ code: string }>().code).toBe('status-unchanged');

    const declared = await send('POST', `/api/municipalities/${YABU}/disasters`, { kind: 'flood', nameJa: '令和8年 円山川洪水', area: '八鹿・宿南' });
    expect(declared.statusCode, declared.body).toBe(201);
    const d1 = declared.json<DisasterView>();
    expect(d1).toMatchObject({ municipalityCode: YABU, kind: 'flood', declaredBy: 'yabu.hq', endedAt: null });
    // Shelter staff operate but do not command.
    expect((await status(a.id, { status: 'open' }, staff)).statusCode).toBe(403);
    expect((await send('POST', `/api/municipalities/${YABU}/disasters`, { kind: 'fire', nameJa: 'x' }, staff)).statusCode).toBe(403);

    changes.length = 0;
    const opened = await status(a.id, { status: 'open' });
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json<ShelterView>()).toMatchObject({ status: 'open', disasterId: d1.id });
    expect(await waitFor(() => changes.some((c) => c.shelterId === a.id))).toBe(true);
    expect(changes.find((c) => c.shelterId === a.id)).toEqual({ host: YABU, home: null, shelterId: a.id });
    const again = await status(a.id, { status: 'open' });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ code: string }>().code).toBe('status-unchanged');
    expect((await status(a.id, { status: 'full' })).json<ShelterView>().status).toBe('full');

    // Two active disasters: HQ must say which one.
    const d2 = (await send('POST', `/api/municipalities/${YABU}/disasters`, { kind: 'landslide', nameJa: '土砂災害警戒' })).json<DisasterView>();
    expect((await status(b.id, { status: 'open' })).json<{ code: string }>().code).toBe('disaster-required');
    expect((await status(b.id, { status: 'requested', disasterId: d1.id })).json<ShelterView>()).toMatchObject({ status: 'requested', disasterId: d1.id });
    // a stays with the disaster it is open for; a foreign disaster id is not found.
    expect((await status(a.id, { status: 'open' })).json<ShelterView>().disasterId).toBe(d1.id);
    const asagoDisaster = (await send('POST', `/api/municipalities/${ASAGO}/disasters`, { kind: 'flood', nameJa: '朝来 洪水' }, asago)).json<DisasterView>();
    expect((await status(b.id, { status: 'open', disasterId: asagoDisaster.id })).json<{ code: string }>().code).toBe('disaster-not-found');

    const listed = await t.app.inject({ method: 'GET', url: `/api/municipalities/${YABU}/disasters`, headers: staff.headers });
    expect(listed.json<DisasterView[]>().map((d) => d.id).sort()).toEqual([d1.id, d2.id].sort());

    const ended = await send('POST', `/api/municipalities/${YABU}/disasters/${d1.id}/end`, undefined);
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json<DisasterView>().endedAt).not.toBeNull();
    expect((await send('POST', `/api/municipalities/${YABU}/disasters/${d1.id}/end`, undefined)).json<{ code: string }>().code).toBe('disaster-ended');
    expect(await byLocalId('001')).toMatchObject({ status: 'closed', disasterId: null });
    expect(await byLocalId('002')).toMatchObject({ status: 'closed', disasterId: null });
    expect((await status(a.id, { status: 'open', disasterId: d1.id })).json<{ code: string }>().code).toBe('disaster-ended');
    expect(await waitFor(() => changes.filter((c) => c.shelterId === b.id).length >= 2)).toBe(true);

    // Now only d2 is active: opening picks it; the history separates the two disasters.
    expect((await status(a.id, { status: 'open' })).json<ShelterView>().disasterId).toBe(d2.id);
    const history = async (id: string, disasterId?: string) => {
      const res = await t.app.inject({ method: 'GET', url: `/api/municipalities/${YABU}/shelters/${id}/status-history${disasterId ? `?disasterId=${disasterId}` : ''}`, headers: staff.headers });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<ShelterStatusEventView[]>();
    };
    expect((await history(a.id, d1.id)).map((e) => e.status)).toEqual(['open', 'full', 'open', 'closed']);
    expect((await history(a.id, d2.id)).map((e) => [e.status, e.actor])).toEqual([['open', 'yabu.hq']]);
    expect((await history(a.id)).length).toBe(5);
    expect((await history(b.id, d1.id)).map((e) => e.status)).toEqual(['requested', 'closed']);
    // Asago cannot read Yabu's history, even through its own code.
    const foreign = await t.app.inject({ method: 'GET', url: `/api/municipalities/${ASAGO}/shelters/${a.id}/status-history`, headers: asago.headers });
    expect(foreign.statusCode).toBe(404);
  });

  it('the public CSV of an unregistered municipality is a 404 problem; a malformed code a 400', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/municipalities/131016/shelters.csv' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect((await t.app.inject({ method: 'GET', url: '/api/municipalities/999999/shelters.csv' })).statusCode).toBe(400);
  });

  it('documents the routes in OpenAPI, the import as a text/csv body', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, Record<string, { tags?: string[]; requestBody?: { content: Record<string, unknown> } }>> }>();
    const imp = spec.paths['/api/municipalities/{code}/shelters/import']!.post!;
    expect(imp.tags).toEqual(['shelter']);
    expect(Object.keys(imp.requestBody?.content ?? {})).toContain('text/csv');
    expect(spec.paths['/api/municipalities/{code}/shelters/{shelterId}/status']!.put!.tags).toEqual(['shelter']);
    expect(spec.paths['/api/municipalities/{code}/shelters.csv']).toBeDefined();
  });
});

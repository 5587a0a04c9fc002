// The roster read model with fakes for its repository, database and vault names: no database needed.
import { describe, expect, it } from 'vitest';
import type { Database, Tx } from '../../kernel/db/engine.js';
import type { StaffPrincipal } from '../../kernel/callers.js';
import '../index.js'; // declares shelter:operate
import { RosterReadModel } from './roster.js';
import type { EvacueeRow, ShelterRow, StayRow } from './repository.js';
import { StayViews } from './views.js';

const CODE = '282227'; // 養父市
const staff: StaffPrincipal = { id: 's1', loginName: 'kiosk', displayName: 'Kiosk', municipalityCode: CODE, roles: ['shelter_staff'] };
const caller = { staff, sessionToken: 't', requestId: 'r1' };

const shelterRow = { id: 'sh1', municipalityCode: CODE, localId: 'A-01', nameJa: '第一小学校', nameEn: 'Daiichi Elementary' } as ShelterRow;
const stay = (evacueeId: string, status: StayRow['status'], needs: string[] = []): StayRow => ({
  id: `stay-${evacueeId}`, municipalityCode: CODE, evacueeId, evacueeMunicipalityCode: CODE, householdId: `h-${evacueeId}`, disasterId: 'd1',
  place: 'shelter', shelterId: 'sh1', status, channel: 'card-touch', needs, sex: null, language: 'ja', idempotencyKey: `k:${evacueeId}`,
  requestKey: 'k', checkedInAt: new Date('2026-12-01T09:00:00Z'), endedAt: null, createdBy: 'staff:kiosk',
} as StayRow);
const evacuee = (id: string) => ({ id, municipalityCode: CODE, householdId: `h-${id}`, isResident: id === 'e1', needs: [], sex: null, language: 'ja' } as unknown as EvacueeRow);

function model(stays: StayRow[], names: Record<string, { nameKanji: string; nameKana: string }>) {
  const seen: { statuses?: string[]; purposes: string[] } = { purposes: [] };
  const tx = {} as Tx;
  const db = { tenant: (_ctx: unknown, fn: (tx: Tx) => Promise<unknown>) => fn(tx) } as unknown as Database;
  const evacuees = {
    names: async (_viewer: string, rows: EvacueeRow[], access: { purpose: string }) => {
      seen.purposes.push(access.purpose);
      return new Map(rows.filter((r) => names[r.id]).map((r) => [r.id, names[r.id]!]));
    },
  };
  const repo = {
    shelter: async (_tx: Tx, id: string) => (id === shelterRow.id ? shelterRow : undefined),
    roster: async (_tx: Tx, _id: string, statuses: StayRow['status'][]) => {
      seen.statuses = statuses;
      return stays.filter((s) => statuses.includes(s.status));
    },
    evacueesByIds: async (_tx: Tx, ids: string[]) => ids.map(evacuee),
  };
  const views = new StayViews(db, evacuees, { sheltersByIds: async () => [], liveStaysOf: async () => [], shelter: repo.shelter });
  return { roster: new RosterReadModel(db, evacuees, views, repo), seen };
}

describe('roster read model (fakes, no database)', () => {
  const stays = [stay('e1', 'in', ['allergy']), stay('e2', 'out'), stay('e3', 'in', ['care', 'pet'])];
  const names = { e1: { nameKanji: '山田 太郎', nameKana: 'ヤマダ タロウ' }, e2: { nameKanji: '佐藤 花子', nameKana: 'サトウ ハナコ' } };

  it('finds people by kanji or kana, ignoring spaces and full- or half-width forms, and audits the read as a roster read', async () => {
    const { roster, seen } = model(stays, names);
    expect((await roster.roster(caller, CODE, 'sh1', { q: 'ﾔﾏﾀﾞ' })).map((e) => e.evacueeId)).toEqual(['e1']);
    expect((await roster.roster(caller, CODE, 'sh1', { q: '佐藤花子' })).map((e) => e.evacueeId)).toEqual(['e2']);
    expect(seen.purposes).toEqual(['shelter roster | 第一小学校', 'shelter roster | 第一小学校']);
  });

  it('filters by status and need; someone whose name is not shared is listed without one, not dropped', async () => {
    const { roster, seen } = model(stays, names);
    const inside = await roster.roster(caller, CODE, 'sh1', { status: 'in' });
    expect(seen.statuses).toEqual(['in']);
    expect(inside.map((e) => [e.evacueeId, e.nameKanji])).toEqual([['e1', '山田 太郎'], ['e3', null]]);
    expect((await roster.roster(caller, CODE, 'sh1', { need: 'pet' })).map((e) => e.evacueeId)).toEqual(['e3']);
    expect(inside[0]!.stay).toMatchObject({ shelterNameJa: '第一小学校', status: 'in', checkedInAt: '2026-12-01T09:00:00.000Z' });
  });

  it('refuses another municipality\'s shelter and a staff member of another municipality', async () => {
    const { roster } = model(stays, names);
    await expect(roster.roster(caller, CODE, 'nope', {})).rejects.toMatchObject({ code: 'shelter-not-found', status: 404 });
    await expect(roster.roster({ ...caller, staff: { ...staff, municipalityCode: '282251' } }, CODE, 'sh1', {})).rejects.toMatchObject({ status: 403 });
  });

  it('writes the paper roster as CSV a spreadsheet opens in Japanese: BOM, CRLF, quoted cells', async () => {
    const { roster } = model(stays, { ...names, e3: { nameKanji: '鈴木, "次郎"', nameKana: 'スズキ ジロウ' } });
    const { filename, csv } = await roster.rosterCsv(caller, CODE, 'sh1');
    expect(filename).toBe('roster-A-01.csv');
    expect(csv.startsWith('\uFEFF氏名,フリガナ,状態,')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toHaveLength(5); // header, three people, the final line break
    expect(lines[1]).toContain('山田 太郎,ヤマダ タロウ,在所,2026-12-01T09:00:00.000Z,h-e1,アレルギー,ja,282227,e1');
    expect(lines[2]).toContain(',一時外出,');
    expect(lines[3]).toMatch(/^"鈴木, ""次郎""",スズキ ジロウ,在所,.*,要介護・ペット,/);
  });
});

// The roster read model (名簿): who is in a shelter now, searchable by name, and the paper fallback.
import type { Database } from '../../kernel/db/engine.js';
import { actFor } from '../../kernel/callers.js';
import { assertMunicipalityCode } from '../../kernel/tenancy/municipalityCode.js';
import type { EvacueeService } from '../evacuee/service.js';
import { ShelterErrors } from '../errors.js';
import type { Need, RosterEntry, Sex } from '../contract.js';
import { actorOf, normalise, type StaffCaller } from './common.js';
import { stayRepository, type StayRepository, type StayRow } from './repository.js';
import type { StayViews } from './views.js';

export interface RosterFilter {
  q?: string;
  status?: 'in' | 'out' | 'all';
  need?: Need;
}

const STATUS_JA: Record<string, string> = { in: '在所', out: '一時外出', moved: '移動', left: '退所' };
const NEED_JA: Record<string, string> = { allergy: 'アレルギー', medication: '服薬', care: '要介護', disability: '障害', pregnancy: '妊娠', infant: '乳幼児', pet: 'ペット' };

export class RosterReadModel {
  constructor(
    private readonly db: Pick<Database, 'tenant'>,
    private readonly evacuees: Pick<EvacueeService, 'names'>,
    private readonly views: Pick<StayViews, 'view'>,
    private readonly repo: Pick<StayRepository, 'shelter' | 'roster' | 'evacueesByIds'> = stayRepository,
  ) {}

  /** The people staying in a shelter (in, or out for a while), names read from the vault (audited). */
  async roster(c: StaffCaller, code: string, shelterId: string, filter: RosterFilter): Promise<RosterEntry[]> {
    assertMunicipalityCode(code);
    const ctx = actFor(c.staff, code, 'shelter:operate');
    const statuses: StayRow['status'][] = filter.status === 'in' ? ['in'] : filter.status === 'out' ? ['out'] : ['in', 'out'];
    const { stays, evacuees, sh } = await this.db.tenant(ctx, async (tx) => {
      const sh = await this.repo.shelter(tx, shelterId);
      if (!sh || sh.municipalityCode !== code) throw ShelterErrors['shelter-not-found']();
      const stays = (await this.repo.roster(tx, shelterId, statuses)).filter((s) => !filter.need || s.needs.includes(filter.need));
      return { sh, stays, evacuees: await this.repo.evacueesByIds(tx, stays.map((s) => s.evacueeId)) };
    });
    const names = await this.evacuees.names(code, evacuees, { actor: actorOf(c), purpose: `shelter roster | ${sh.nameJa}`, requestId: c.requestId });
    const byId = new Map(evacuees.map((e) => [e.id, e]));
    const q = filter.q ? normalise(filter.q) : '';
    const out: RosterEntry[] = [];
    for (const s of stays) {
      const e = byId.get(s.evacueeId);
      const n = names.get(s.evacueeId);
      if (q && !(n && (normalise(n.nameKanji).includes(q) || normalise(n.nameKana).includes(q)))) continue;
      out.push({
        evacueeId: s.evacueeId, municipalityCode: s.evacueeMunicipalityCode, householdId: s.householdId,
        nameKanji: n?.nameKanji ?? null, nameKana: n?.nameKana ?? null, isResident: e?.isResident ?? false,
        needs: s.needs as Need[], language: s.language, sex: (s.sex as Sex | null) ?? null,
        stay: this.views.view(s, sh),
      });
    }
    return out;
  }

  /** The roster as CSV for the paper fallback (UTF-8 with BOM so spreadsheet software reads Japanese). */
  async rosterCsv(c: StaffCaller, code: string, shelterId: string): Promise<{ filename: string; csv: string }> {
    const entries = await this.roster(c, code, shelterId, { status: 'all' });
    const sh = await this.db.tenant({ municipalityCode: code }, (tx) => this.repo.shelter(tx, shelterId));
    const header = ['氏名', 'フリガナ', '状態', '入所日時', '世帯ID', '配慮事項', '言語', '住所自治体', '避難者ID'];
    const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const lines = [header, ...entries.map((e) => [
      e.nameKanji ?? '（共有なし）', e.nameKana ?? '', STATUS_JA[e.stay.status] ?? e.stay.status, e.stay.checkedInAt, e.householdId,
      e.needs.map((n) => NEED_JA[n] ?? n).join('・'), e.language ?? '', e.municipalityCode, e.evacueeId,
    ])].map((r) => r.map((v) => cell(String(v))).join(','));
    return { filename: `roster-${sh?.localId ?? shelterId}.csv`, csv: `\uFEFF${lines.join('\r\n')}\r\n` };
  }
}

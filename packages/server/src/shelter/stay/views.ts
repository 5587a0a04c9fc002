// How stays and evacuees are shown to staff: one place for the view shapes every stay answer uses.
import type { Database, Tx } from '../../kernel/db/engine.js';
import type { EvacueeService } from '../evacuee/service.js';
import { ShelterErrors } from '../errors.js';
import type { EvacueeView, Need, Sex, StayView } from '../contract.js';
import { actorOf, placeJa, type StaffCaller } from './common.js';
import { iso, type EvacueeRow, type ShelterRow, type StayRepository, type StayRow } from './repository.js';

export class StayViews {
  constructor(
    private readonly db: Database,
    private readonly evacuees: Pick<EvacueeService, 'names'>,
    private readonly repo: Pick<StayRepository, 'sheltersByIds' | 'liveStaysOf' | 'shelter'>,
  ) {}

  /** The household as the kiosk shows it: names (audited vault read, when shared) and each one's live stay. */
  async evacueeViews(c: StaffCaller, viewer: string, home: string, rows: EvacueeRow[], purpose: string): Promise<EvacueeView[]> {
    const names = await this.evacuees.names(viewer, rows, { actor: actorOf(c), purpose, requestId: c.requestId });
    // A partner's resident: their stays are read under the home municipality's row-level security.
    const live = await this.db.tenant({ municipalityCode: home === viewer ? viewer : home }, (tx) => this.repo.liveStaysOf(tx, rows.map((r) => r.id)));
    const shelters = await this.db.tenant({ municipalityCode: viewer }, (tx) => this.repo.sheltersByIds(tx, [...new Set(live.map((s) => s.shelterId).filter((x): x is string => !!x))]));
    const byShelter = new Map(shelters.map((s) => [s.id, s]));
    const stayOf = new Map(live.map((s) => [s.evacueeId, s]));
    return rows.map((r) => {
      const n = names.get(r.id);
      const s = stayOf.get(r.id);
      return {
        evacueeId: r.id, municipalityCode: r.municipalityCode, householdId: r.householdId,
        nameKanji: n?.nameKanji ?? null, nameKana: n?.nameKana ?? null, isResident: r.isResident,
        needs: r.needs as Need[], language: r.language, sex: (r.sex as Sex | null) ?? null,
        stay: s ? this.view(s, s.shelterId ? byShelter.get(s.shelterId) : undefined) : null,
      };
    });
  }

  /** Stays with their shelters' names (`known` shelters are not read again). */
  async stayViews(tx: Tx, stays: StayRow[], known: ShelterRow[] = []): Promise<StayView[]> {
    const ids = [...new Set(stays.map((s) => s.shelterId).filter((x): x is string => !!x))].filter((id) => !known.some((k) => k.id === id));
    const shelters = new Map([...known, ...(await this.repo.sheltersByIds(tx, ids))].map((s) => [s.id, s]));
    return stays.map((s) => this.view(s, s.shelterId ? shelters.get(s.shelterId) : undefined));
  }

  view(s: StayRow, sh: ShelterRow | undefined): StayView {
    return {
      stayId: s.id, municipalityCode: s.municipalityCode, evacueeId: s.evacueeId, evacueeMunicipalityCode: s.evacueeMunicipalityCode,
      householdId: s.householdId, disasterId: s.disasterId, place: s.place, shelterId: s.shelterId,
      shelterNameJa: sh?.nameJa ?? null, shelterNameEn: sh?.nameEn ?? null, status: s.status, channel: s.channel,
      needs: s.needs as Need[], checkedInAt: iso(s.checkedInAt), endedAt: s.endedAt ? iso(s.endedAt) : null,
    };
  }

  /** "Already in a shelter": where and since when, so the kiosk can say it in words. */
  async alreadyIn(tx: Tx, evacueeIds: string[]) {
    const live = await this.repo.liveStaysOf(tx, evacueeIds);
    const s = live[0];
    if (!s) return ShelterErrors['already-in-shelter']({ shelter: '-', since: '-' });
    const sh = s.shelterId ? await this.repo.shelter(tx, s.shelterId) : undefined;
    return ShelterErrors['already-in-shelter']({ shelter: sh?.nameJa ?? placeJa(s.place), since: iso(s.checkedInAt) }, {
      details: { stayId: s.id, evacueeId: s.evacueeId, shelterId: s.shelterId, hostMunicipalityCode: s.municipalityCode, place: s.place },
    });
  }
}

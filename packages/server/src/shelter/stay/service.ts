// Stays (滞在): who is in which shelter (or outside one) during a disaster, and every movement.
// The parts: touch resolution (touch.ts), the check-in writer (checkIn.ts), the roster read model
// (roster.ts); movements and residents' outside-stay reports are here.
import { sql } from 'drizzle-orm';
import { actFor } from '../../kernel/callers.js';
import { assertMunicipalityCode } from '../../kernel/tenancy/municipalityCode.js';
import type { ResidentPrincipal } from '../../portal/index.js';
import type { ShelterServiceDeps } from '../deps.js';
import { ShelterErrors } from '../errors.js';
import type { EvacueeService } from '../evacuee/service.js';
import { encodeShelterChange, notifyShelterChange, type ShelterChangePublisher } from '../hq/notify.js';
import type { CheckInRequest, CheckInResult, MovementRequest, MovementView, OutsideStayInput, RosterEntry, StayView, TouchResult } from '../contract.js';
import { actorOf, recordedAt, stayKey, type StaffCaller } from './common.js';
import { CheckInWriter } from './checkIn.js';
import { iso, stayRepository, type StayRepository, type StayRow } from './repository.js';
import { RosterReadModel, type RosterFilter } from './roster.js';
import { TouchResolution } from './touch.js';
import { StayViews } from './views.js';

export { SHELTER_CHECK_IN_FLOW, type StaffCaller } from './common.js';

export class StayService {
  readonly views: StayViews;
  readonly touches: TouchResolution;
  readonly checkIns: CheckInWriter;
  readonly rosters: RosterReadModel;

  constructor(
    readonly deps: ShelterServiceDeps,
    readonly peers: { evacuees: EvacueeService; publisher: ShelterChangePublisher },
    private readonly repo: StayRepository = stayRepository,
  ) {
    const { evacuees, publisher } = peers;
    this.views = new StayViews(deps.db, evacuees, repo);
    this.touches = new TouchResolution(deps, evacuees, this.views);
    this.checkIns = new CheckInWriter(deps, { touches: this.touches, views: this.views, evacuees, publisher }, repo);
    this.rosters = new RosterReadModel(deps.db, evacuees, this.views, repo);
  }

  // ─── Card touch, check-in and roster: their own parts ──────────────────────────────────────

  touch(c: StaffCaller, code: string, shelterId: string, input: { certificate: string; challengeId?: string; signature?: string }): Promise<TouchResult> {
    return this.touches.touch(c, code, shelterId, input);
  }

  checkIn(c: StaffCaller, code: string, shelterId: string, req: CheckInRequest): Promise<CheckInResult> {
    return this.checkIns.checkIn(c, code, shelterId, req);
  }

  roster(c: StaffCaller, code: string, shelterId: string, filter: RosterFilter): Promise<RosterEntry[]> {
    return this.rosters.roster(c, code, shelterId, filter);
  }

  rosterCsv(c: StaffCaller, code: string, shelterId: string): Promise<{ filename: string; csv: string }> {
    return this.rosters.rosterCsv(c, code, shelterId);
  }

  // ─── Movements ─────────────────────────────────────────────────────────────────────────────

  async move(c: StaffCaller, code: string, stayId: string, req: MovementRequest): Promise<StayView> {
    assertMunicipalityCode(code);
    const ctx = actFor(c.staff, code, 'shelter:operate');
    const at = recordedAt(req.at);
    const actor = actorOf(c);
    return this.deps.db.tenant(ctx, async (tx) => {
      const stay = await this.repo.stay(tx, stayId);
      if (!stay || stay.municipalityCode !== code) throw ShelterErrors['stay-not-found']();
      const done = await this.repo.movementByKey(tx, code, req.idempotencyKey);
      if (done) {
        if (done.stayId !== stayId || done.kind !== req.kind) throw ShelterErrors['idempotency-key-reused']();
        // A transfer's replay answers with the new stay, as the first answer did.
        const current = req.kind === 'transfer' ? (await this.repo.staysByKeys(tx, code, [stayKey(req.idempotencyKey, stay.evacueeId)]))[0] ?? stay : stay;
        return (await this.views.stayViews(tx, [current]))[0]!;
      }
      const allowed: Record<MovementRequest['kind'], StayRow['status'][]> = { out: ['in'], back: ['out'], 'check-out': ['in', 'out'], transfer: ['in', 'out'] };
      if (!allowed[req.kind]?.includes(stay.status)) {
        if (stay.status === 'left' || stay.status === 'moved') throw ShelterErrors['not-in-shelter']({ status: stay.status });
        throw ShelterErrors['movement-not-allowed']({ status: stay.status, kind: req.kind });
      }
      const change = encodeShelterChange({ host: code, home: stay.evacueeMunicipalityCode === code ? null : stay.evacueeMunicipalityCode, shelterId: stay.shelterId });
      if (req.kind === 'transfer') {
        if (!req.toShelterId || req.toShelterId === stay.shelterId) throw ShelterErrors['movement-not-allowed']({ status: stay.status, kind: 'transfer to the same shelter' });
        // As check-ins do: both shelters' rows first, in id order (their counts change together).
        await this.repo.lockShelters(tx, [req.toShelterId, ...(stay.shelterId ? [stay.shelterId] : [])]);
        const to = await this.repo.shelterWithPresent(tx, req.toShelterId);
        if (!to || to.municipalityCode !== code) throw ShelterErrors['shelter-not-found']();
        if (to.status === 'closed' || to.status === 'requested') throw ShelterErrors['shelter-closed']({ shelter: to.nameJa });
        await this.repo.setStatus(tx, stay.id, 'moved', at);
        await this.repo.insertMovement(tx, { municipalityCode: code, evacueeMunicipalityCode: stay.evacueeMunicipalityCode, stayId: stay.id, kind: 'transfer', shelterId: stay.shelterId, toShelterId: to.id, at, actor, idempotencyKey: req.idempotencyKey });
        const [moved] = await this.repo.insertStays(tx, { host: code, shelterId: to.id, disasterId: to.disasterId ?? stay.disasterId, place: 'shelter', channel: stay.channel, at, actor, kind: 'check-in', requestKey: req.idempotencyKey },
          [{ evacueeId: stay.evacueeId, evacueeMunicipalityCode: stay.evacueeMunicipalityCode, householdId: stay.householdId, needs: stay.needs, sex: stay.sex, language: stay.language, idempotencyKey: stayKey(req.idempotencyKey, stay.evacueeId) }],
          encodeShelterChange({ host: code, home: stay.evacueeMunicipalityCode === code ? null : stay.evacueeMunicipalityCode, shelterId: to.id }));
        await tx.execute(sql`select pg_notify('kazashi_shelter', ${change})`);
        return (await this.views.stayViews(tx, [moved!], [to]))[0]!;
      }
      const status: StayRow['status'] = req.kind === 'out' ? 'out' : req.kind === 'back' ? 'in' : 'left';
      const updated = await this.repo.setStatus(tx, stay.id, status, status === 'left' ? at : null);
      await this.repo.insertMovement(tx, { municipalityCode: code, evacueeMunicipalityCode: stay.evacueeMunicipalityCode, stayId: stay.id, kind: req.kind, shelterId: stay.shelterId, at, actor, idempotencyKey: req.idempotencyKey });
      await tx.execute(sql`select pg_notify('kazashi_shelter', ${change})`);
      return (await this.views.stayViews(tx, [updated]))[0]!;
    });
  }

  async movements(c: StaffCaller, code: string, stayId: string): Promise<MovementView[]> {
    assertMunicipalityCode(code);
    return this.deps.db.tenant(actFor(c.staff, code, 'shelter:operate'), async (tx) => {
      const stay = await this.repo.stay(tx, stayId);
      if (!stay) throw ShelterErrors['stay-not-found']();
      const all = await this.repo.movements(tx, stayId);
      return all.map((m) => ({ stayId: m.stayId, kind: m.kind, shelterId: m.shelterId, toShelterId: m.toShelterId, at: iso(m.at), actor: m.actor }));
    });
  }

  // ─── Outside shelters (resident report) ────────────────────────────────────────────────────

  async outsideStay(p: ResidentPrincipal): Promise<StayView | undefined> {
    return this.deps.db.tenant({ municipalityCode: p.municipalityCode }, async (tx) => {
      const s = await this.repo.liveOutsideStay(tx, p.residentId);
      return s ? (await this.views.stayViews(tx, [s]))[0] : undefined;
    });
  }

  /**
   * A resident reports staying outside a shelter (home, car, tent): counted by HQ, replaced by a
   * check-in later. The car's plate and model are personal data: vault only.
   */
  async reportOutside(p: ResidentPrincipal, input: OutsideStayInput, requestId: string): Promise<{ created: boolean; stay: StayView }> {
    const code = p.municipalityCode;
    const { db, vault } = this.deps;
    const by = { actor: 'resident:self', requestId };
    return db.tenant({ municipalityCode: code }, async (tx) => {
      const key = stayKey(input.idempotencyKey, p.residentId);
      const prior = await this.repo.staysByKeys(tx, code, [key]);
      if (prior[0]) return { created: false, stay: (await this.views.stayViews(tx, prior))[0]! };
      let rows = await this.peers.evacuees.householdOfResident(tx, p.residentId);
      if (!rows.length) rows = await this.peers.evacuees.ensureResidentEvacuee(tx, code, p.residentId, by);
      const self = rows.find((r) => r.id === p.residentId) ?? rows[0]!;
      const live = await this.repo.liveStaysOf(tx, [self.id]);
      if (live[0]) {
        if (live[0].place === 'shelter') throw await this.views.alreadyIn(tx, [self.id]);
        // A new report replaces the previous outside place.
        await this.repo.setStatus(tx, live[0].id, 'left', new Date());
      }
      if (input.place === 'car' && (input.carPlate || input.carModel)) {
        const access = { municipalityCode: code, actor: 'resident:self', purpose: 'shelter outside-stay report (car)', requestId };
        const current = (await vault.getIfAny(access, self.id, 'evacuee', { tx })) ?? {};
        await vault.put(access, self.id, 'evacuee', { ...current, carPlate: input.carPlate ?? '', carModel: input.carModel ?? '' }, { tx });
      }
      const [created] = await this.repo.insertStays(tx, { host: code, shelterId: null, disasterId: null, place: input.place, channel: 'portal', at: new Date(), actor: 'resident:self', kind: 'report', requestKey: input.idempotencyKey },
        [{ evacueeId: self.id, evacueeMunicipalityCode: code, householdId: self.householdId, needs: self.needs, sex: self.sex, language: self.language, idempotencyKey: key }],
        encodeShelterChange({ host: code, home: null, shelterId: null }));
      return { created: true, stay: (await this.views.stayViews(tx, [created!]))[0]! };
    });
  }

  async endOutside(p: ResidentPrincipal): Promise<void> {
    await this.deps.db.tenant({ municipalityCode: p.municipalityCode }, async (tx) => {
      const s = await this.repo.liveOutsideStay(tx, p.residentId);
      if (!s || s.place === 'shelter') throw ShelterErrors['stay-not-found']();
      await this.repo.setStatus(tx, s.id, 'left', new Date());
      await this.repo.insertMovement(tx, { municipalityCode: s.municipalityCode, evacueeMunicipalityCode: s.evacueeMunicipalityCode, stayId: s.id, kind: 'check-out', shelterId: null, at: new Date(), actor: 'resident:self', idempotencyKey: null });
      await notifyShelterChange(tx, { host: s.municipalityCode, home: null, shelterId: null });
    });
  }
}

import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { TenantContext, Tx } from '../../kernel/db/engine.js';
import { isUniqueViolation } from '../../kernel/db/errors.js';
import { GroupCommitQueue, type BatchEntry } from '../../kernel/db/groupCommit.js';
import type { Counter, VerifyInput } from '../../identity/index.js';
import { assertMunicipalityCode } from '../../kernel/tenancy/municipalityCode.js';
import { PortalErrors, type ResidentPrincipal } from '../../portal/index.js';
import { actFor, type StaffPrincipal } from '../../kernel/callers.js';
import type { ShelterServiceDeps } from '../deps.js';
import { ShelterErrors } from '../errors.js';
import type { EvacueeService } from '../evacuee/service.js';
import { encodeShelterChange, notifyShelterChange, type ShelterChange, type ShelterChangePublisher } from '../hq/notify.js';
import type { ShelterRegistryService } from '../registry/service.js';
import type { evacuee } from '../schema.js';
import { iso, stayRepository as repo, type NewStay, type ShelterRow, type StayInsert, type StayRow } from './repository.js';
import type {
  CheckInRequest, CheckInResult, EvacueeView, MovementRequest, MovementView, Need, OutsideStayInput, RosterEntry, Sex, StayChannel, StayView, TouchResult,
} from '../contract.js';

type EvacueeRow = typeof evacuee.$inferSelect;

/** The kiosk flow name a municipality lists among its touch-only flows to allow check-in without a PIN. */
export const SHELTER_CHECK_IN_FLOW = 'shelter-check-in';
/** How far back an offline kiosk's recorded time may go. */
const MAX_OFFLINE_AGE_MS = 7 * 24 * 3600_000;

export interface StaffCaller {
  staff: StaffPrincipal;
  /** The staff session token (binds PIN challenges to the kiosk's session). */
  sessionToken: string;
  requestId: string;
}

const actorOf = (c: StaffCaller) => `staff:${c.staff.loginName}`;
const counterOf = (c: StaffCaller): Counter => ({ actor: actorOf(c), staff: c.staff, sessionToken: c.sessionToken, requestId: c.requestId });

/** A check-in after validation and identity resolution, ready for the write transaction. */
interface CheckInWrite {
  code: string;
  ctx: TenantContext;
  shelterId: string;
  req: CheckInRequest;
  at: Date;
  actor: string;
  requestId: string;
  /** The people, by id (the request's own list, a walk-in's new id, or the resolved household). */
  ids: string[];
  walkInEvacueeId: string | undefined;
  walkInCardKey: string | null;
  /** A card or QR already named the people (rows read before the write). */
  resolved: { rows: EvacueeRow[]; channel: StayChannel } | undefined;
}

/** A batch met a key written meanwhile by another transaction: roll back, then each request alone. */
class BatchConflict extends Error {}

/** Who is being checked in, already resolved to evacuee rows of one municipality (the evacuee's own). */
interface Resolved {
  home: string;
  rows: EvacueeRow[];
  channel: StayChannel;
}

/** A deterministic uuid for a walk-in created from a client key, so a retried offline request finds the same person. */
function walkInId(host: string, key: string): string {
  const h = crypto.createHash('sha256').update(`kazashi-walk-in|${host}|${key}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50; // version 5-style
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

const stayKey = (key: string, evacueeId: string) => `${key}:${evacueeId}`;

/**
 * Stays: who is in which shelter (or outside one) during a disaster, and every movement. The check-in
 * path is the hot one (a shelter fills in minutes): one transaction, four statements, no vault read.
 */
export class StayService {
  /** Check-ins of one municipality arriving together are written together (group commit). */
  readonly checkIns: GroupCommitQueue<CheckInWrite, CheckInResult>;

  constructor(readonly deps: ShelterServiceDeps, readonly peers: { evacuees: EvacueeService; registry: ShelterRegistryService; publisher: ShelterChangePublisher }) {
    this.checkIns = new GroupCommitQueue((group, entries) => this.checkInBatch(group, entries), deps.config.checkInBatch);
  }

  // ─── Card touch at the kiosk ────────────────────────────────────────────────────────────────

  /**
   * A card touched at a shelter kiosk: the holder and their household, wherever they are registered
   * (own municipality or a joint-use partner). Touch-only when the municipality allows the
   * `shelter-check-in` flow, otherwise a PIN signature over a staff challenge.
   */
  async touch(c: StaffCaller, code: string, shelterId: string, input: { certificate: string; challengeId?: string; signature?: string }): Promise<TouchResult> {
    assertMunicipalityCode(code);
    actFor(c.staff, code, 'shelter:operate');
    const cardKey = await this.checkCard(c, code, input);
    const resolved = await this.householdOfCard(c, code, cardKey, 'card-touch');
    const m = await this.deps.municipalities.get(resolved.home);
    const detailsShared = resolved.home === code || resolved.rows.every((r) => r.consentJointUse);
    return {
      homeMunicipalityCode: resolved.home,
      homeMunicipalityName: { ja: m.nameJa, en: m.nameEn },
      detailsShared,
      household: await this.evacueeViews(c, code, resolved.home, resolved.rows, `shelter check-in | shelter ${shelterId}`),
    };
  }

  private async checkCard(c: StaffCaller, code: string, input: { certificate: string; challengeId?: string; signature?: string }): Promise<string> {
    const { identity, municipalities } = this.deps;
    if (input.challengeId && input.signature) {
      const v: VerifyInput = { challengeId: input.challengeId, signature: input.signature, certificate: input.certificate, purpose: SHELTER_CHECK_IN_FLOW };
      return (await identity.verify(counterOf(c), code, v)).cardKey;
    }
    if (!(await municipalities.isTouchOnlyFlow(code, SHELTER_CHECK_IN_FLOW))) {
      throw PortalErrors['touch-only-not-allowed']({ flow: SHELTER_CHECK_IN_FLOW });
    }
    return (await identity.identify(counterOf(c), code, input.certificate, SHELTER_CHECK_IN_FLOW)).cardKey;
  }

  /** The household a card belongs to: a walk-in card of this municipality, or a resident's (own or partner's). */
  private async householdOfCard(c: StaffCaller, code: string, cardKey: string, channel: StayChannel): Promise<Resolved> {
    const { db } = this.deps;
    const { evacuees } = this.peers;
    const by = { actor: actorOf(c), requestId: c.requestId };
    const local = await db.tenant({ municipalityCode: code }, async (tx) => {
      const walkIn = await evacuees.householdOfCard(tx, cardKey);
      if (walkIn.length) return { home: code, rows: walkIn };
      const home = await cardHome(tx, cardKey);
      if (!home) return undefined;
      if (home.municipalityCode !== code) return { home: home.municipalityCode, residentId: home.residentId };
      const rows = await evacuees.householdOfResident(tx, home.residentId);
      return { home: code, rows: rows.length ? rows : await evacuees.ensureResidentEvacuee(tx, code, home.residentId, by) };
    });
    if (!local) throw ShelterErrors['card-not-pre-registered']();
    if (local.rows) return { home: local.home, rows: local.rows, channel };
    return { home: local.home, rows: await this.partnerHousehold(code, local.home, local.residentId, by), channel };
  }

  /** A partner municipality's resident at our shelter: only under a joint-use agreement for shelters. */
  private async partnerHousehold(host: string, home: string, residentId: string, by: { actor: string; requestId: string }): Promise<EvacueeRow[]> {
    const { db, municipalities } = this.deps;
    if (!(await this.arePartners(host, home))) {
      const m = await municipalities.get(home);
      throw ShelterErrors['joint-use-not-allowed']({ home: m.nameJa });
    }
    // Acting for the home municipality: its RLS, its audit chain (the actor names our staff).
    return db.tenant({ municipalityCode: home }, async (tx) => {
      const rows = await this.peers.evacuees.householdOfResident(tx, residentId);
      return rows.length ? rows : this.peers.evacuees.ensureResidentEvacuee(tx, home, residentId, { ...by, actor: `${by.actor}@${host}` });
    });
  }

  private async arePartners(a: string, b: string): Promise<boolean> {
    return this.deps.db.tenant({ municipalityCode: a }, async (tx) => {
      const res = (await tx.execute(sql`select kazashi_shelter_partners(${a}, ${b}) as ok`)) as unknown as { rows: { ok: boolean }[] };
      return res.rows[0]?.ok === true;
    });
  }

  // ─── Check-in ──────────────────────────────────────────────────────────────────────────────

  async checkIn(c: StaffCaller, code: string, shelterId: string, req: CheckInRequest): Promise<CheckInResult> {
    assertMunicipalityCode(code);
    const ctx = actFor(c.staff, code, 'shelter:operate');
    const at = this.recordedAt(req.at);
    const subset = !!(req.certificate && req.evacueeIds?.length);
    const ways = [req.evacueeIds?.length && !subset, req.certificate && !req.walkIn, req.qrToken, req.walkIn].filter(Boolean).length;
    if (ways !== 1) throw ShelterErrors['check-in-who-missing']();
    const actor = actorOf(c);

    // Card, QR and partner lookups are their own audited steps, before the write transaction
    // (a transaction never opens inside another).
    const resolved = await this.resolve(c, code, req);
    let rowsOfResolved = resolved?.rows;
    if (resolved && req.evacueeIds?.length) {
      const wanted = new Set(req.evacueeIds);
      rowsOfResolved = resolved.rows.filter((r) => wanted.has(r.id));
      if (rowsOfResolved.length !== wanted.size) throw ShelterErrors['evacuee-not-found']();
    }
    const walkInCardKey = req.walkIn?.certificate
      ? (await this.deps.identity.identify(counterOf(c), code, req.walkIn.certificate, `${SHELTER_CHECK_IN_FLOW} walk-in`)).cardKey
      : null;
    const walkInEvacueeId = req.walkIn ? walkInId(code, req.idempotencyKey) : undefined;
    const ids = rowsOfResolved ? rowsOfResolved.map((r) => r.id) : walkInEvacueeId ? [walkInEvacueeId] : [...new Set(req.evacueeIds)];
    if (!ids.length) throw ShelterErrors['evacuee-not-found']();

    const write: CheckInWrite = {
      code, ctx, shelterId, req, at, actor, requestId: c.requestId, ids, walkInEvacueeId, walkInCardKey,
      resolved: rowsOfResolved ? { rows: rowsOfResolved, channel: resolved!.channel } : undefined,
    };
    // Walk-ins create a person inside the write: alone. Everything else may share a transaction.
    if (req.walkIn) return this.writeCheckIn(write);
    return this.checkIns.submit(`${code}|${ctx.platformAdmin ? 'admin' : ''}`, write);
  }

  /** One check-in in its own transaction: the path every request could take, and the batches' fallback. */
  private async writeCheckIn(w: CheckInWrite): Promise<CheckInResult> {
    const { code, req, ids } = w;
    let change: ShelterChange | undefined;
    try {
      const result = await this.deps.db.tenant(w.ctx, async (tx): Promise<CheckInResult> => {
        const byIds = !req.walkIn && !w.resolved;
        await repo.lockShelters(tx, [w.shelterId]);
        const sh = await repo.shelterForCheckIn(tx, w.shelterId, code, req.idempotencyKey, byIds ? ids : []);
        if (!sh || sh.municipalityCode !== code) throw ShelterErrors['shelter-not-found']();
        if (sh.replayed > 0) {
          // The same request again (an offline kiosk retrying): answer as before, whatever changed since.
          return this.replayOf(tx, code, req.idempotencyKey, ids);
        }
        let rows: EvacueeRow[];
        let channel: StayChannel;
        if (req.walkIn) {
          // A blank intake card names one person: once used, it checks that person in (as a QR), never a second one.
          const holders = req.walkIn.intakeCode ? await this.peers.evacuees.householdOfIntakeCode(tx, req.walkIn.intakeCode) : [];
          if (holders.length > 0 && !holders.some((e) => e.id === w.walkInEvacueeId)) throw ShelterErrors['intake-code-used']();
          // Created inside this transaction: a refused check-in leaves no orphan evacuee behind.
          rows = [await this.peers.evacuees.createWalkIn(tx, code, req.walkIn, { evacueeId: w.walkInEvacueeId!, cardKey: w.walkInCardKey, actor: w.actor, requestId: w.requestId })];
          channel = req.channel ?? (req.walkIn.source === 'card-walk-in' ? 'card-walk-in' : 'staff');
        } else {
          rows = w.resolved ? w.resolved.rows : sh.evacuees;
          channel = req.channel ?? w.resolved?.channel ?? 'staff';
        }
        const admitted = this.admit(w, sh, rows, sh.present);
        const created = await repo.insertStays(tx, { host: code, shelterId: sh.id, disasterId: sh.disasterId, place: 'shelter', channel, at: w.at, actor: w.actor, kind: 'check-in', requestKey: req.idempotencyKey },
          admitted.stays, null);
        change = { host: code, home: admitted.home === code ? null : admitted.home, shelterId: sh.id };
        if (created.length !== admitted.stays.length) {
          // The same key raced in from a concurrent request, which committed first: answer its stays.
          if (created.length > 0) throw ShelterErrors['idempotency-key-reused']();
          return this.replayOf(tx, code, req.idempotencyKey, ids);
        }
        return { created: true, stays: await this.stayViews(tx, created, [sh]), acceptedOverCapacity: admitted.over };
      });
      // Announced after commit, batched (see ShelterChangePublisher).
      if (change) this.peers.publisher.publish(change);
      return result;
    } catch (e) {
      if (isUniqueViolation(e, 'shelter_stay_live_uq')) {
        throw await this.deps.db.tenant({ municipalityCode: code }, (tx) => this.alreadyIn(tx, ids));
      }
      // Two kiosks entering the same new intake card at once: the second finds it used.
      if (isUniqueViolation(e, 'evacuee_intake_uq')) throw ShelterErrors['intake-code-used']();
      throw e;
    }
  }

  /**
   * The checks between reading the shelter and writing the stays (shared by one and many): the people
   * exist, come from one municipality, and the shelter takes them (open; full only with acceptFull).
   */
  private admit(w: CheckInWrite, sh: ShelterRow, rows: EvacueeRow[], present: number): { stays: NewStay[]; home: string; over: boolean } {
    const { req, ids } = w;
    if (!req.walkIn && !w.resolved) {
      if (rows.length !== ids.length || rows.some((r) => r.removedAt)) throw ShelterErrors['evacuee-not-found']();
      // Staff name their own municipality's evacuees by id, never a partner's: a partner's resident is
      // here by card or QR, their presence being the consent of the moment (row-level security would
      // show the row of one who consented to joint use, at any time).
      if (rows.some((r) => r.municipalityCode !== w.code)) throw ShelterErrors['partner-by-card-only']();
    }
    const home = rows[0]!.municipalityCode;
    if (rows.some((r) => r.municipalityCode !== home)) {
      throw ShelterErrors['movement-not-allowed']({ status: 'request', kind: 'check-in of people from different municipalities in one request' });
    }
    if (sh.status === 'closed' || sh.status === 'requested') throw ShelterErrors['shelter-closed']({ shelter: sh.nameJa });
    const over = sh.status === 'full' || (sh.capacity != null && present + rows.length > sh.capacity);
    if (over && !req.acceptFull) {
      throw ShelterErrors['shelter-full']({ shelter: sh.nameJa, occupancy: present, capacity: sh.capacity ?? '-' }, { details: { present, capacity: sh.capacity } });
    }
    const stays = rows.map((r) => ({
      evacueeId: r.id, evacueeMunicipalityCode: r.municipalityCode, householdId: r.householdId, needs: r.needs, sex: r.sex, language: r.language,
      idempotencyKey: stayKey(req.idempotencyKey, r.id),
    }));
    return { stays, home, over };
  }

  /**
   * A group commit of check-ins (see GroupCommitQueue): one read, one insert, one commit for every
   * request that arrived while the previous batch was being written. Each request is checked as it
   * would be alone, in arrival order (a shelter's count includes earlier requests of the batch). A
   * replay, a key or person twice in the batch, or any conflict at insert (someone already in a
   * shelter, a key racing in from elsewhere) sends the request through writeCheckIn alone, after the
   * batch: on a conflict the whole batch rolls back first, so nothing is half-written.
   */
  private async checkInBatch(_group: string, entries: BatchEntry<CheckInWrite, CheckInResult>[]): Promise<void> {
    // A batch of one too: its statements are prepared (parsed once per connection).
    type Outcome = { ok: CheckInResult; change: ShelterChange } | { error: unknown } | { alone: true };
    const items = entries.map((e) => e.item);
    const first = items[0]!;
    let outcomes: Outcome[];
    try {
      outcomes = await this.deps.db.tenant(first.ctx, async (tx) => {
        const shelterIds = [...new Set(items.map((w) => w.shelterId))];
        const byIds = [...new Set(items.filter((w) => !w.resolved).flatMap((w) => w.ids))];
        await repo.lockShelters(tx, shelterIds);
        const read = await repo.checkInBatchRead(tx, first.code, shelterIds, items.map((w) => w.req.idempotencyKey), byIds, [...new Set(items.flatMap((w) => w.ids))]);
        const present = new Map([...read.shelters.values()].map((s) => [s.id, s.present]));
        const keys = new Set<string>();
        const people = new Set<string>();
        const out: Outcome[] = [];
        const admitted: { index: number; sh: ShelterRow; stays: StayInsert[]; home: string; over: boolean }[] = [];
        for (const [index, w] of items.entries()) {
          const key = w.req.idempotencyKey;
          // Answered alone, after the batch: a replay, a key or person met earlier in the batch, someone
          // already in a shelter (the conflict would roll back everyone's insert).
          if (read.replayed.has(key) || keys.has(key) || w.ids.some((id) => people.has(id) || read.live.has(id))) {
            out.push({ alone: true });
            continue;
          }
          keys.add(key);
          for (const id of w.ids) people.add(id);
          try {
            const sh = read.shelters.get(w.shelterId);
            if (!sh || sh.municipalityCode !== w.code) throw ShelterErrors['shelter-not-found']();
            const rows = w.resolved ? w.resolved.rows : w.ids.flatMap((id) => read.evacuees.get(id) ?? []);
            const a = this.admit(w, sh, rows, present.get(sh.id)!);
            present.set(sh.id, present.get(sh.id)! + a.stays.length);
            const channel = w.req.channel ?? w.resolved?.channel ?? 'staff';
            admitted.push({
              index, sh, home: a.home, over: a.over,
              stays: a.stays.map((s) => ({ ...s, shelterId: sh.id, disasterId: sh.disasterId, channel, at: w.at, actor: w.actor, requestKey: key })),
            });
            out.push({ alone: true }); // replaced below once written
          } catch (error) {
            out.push({ error });
          }
        }
        const created = await repo.insertStayRows(tx, { host: first.code, place: 'shelter', kind: 'check-in' }, admitted.flatMap((a) => a.stays), null);
        const byKey = new Map<string, StayRow>(created.map((s) => [s.idempotencyKey, s]));
        for (const a of admitted) {
          const mine = a.stays.map((s) => byKey.get(s.idempotencyKey));
          // A key that raced in from another transaction: roll everything back and go alone.
          if (mine.some((s) => !s)) throw new BatchConflict();
          out[a.index] = {
            ok: { created: true, stays: await this.stayViews(tx, mine as StayRow[], [a.sh]), acceptedOverCapacity: a.over },
            change: { host: first.code, home: a.home === first.code ? null : a.home, shelterId: a.sh.id },
          };
        }
        return out;
      }, { planEachTime: true });
    } catch (e) {
      if (!(e instanceof BatchConflict) && !isUniqueViolation(e)) {
        for (const entry of entries) entry.reject(e);
        return;
      }
      outcomes = entries.map(() => ({ alone: true }));
    }
    const alone: Promise<void>[] = [];
    for (const [i, o] of outcomes.entries()) {
      const entry = entries[i]!;
      if ('ok' in o) {
        this.peers.publisher.publish(o.change);
        entry.resolve(o.ok);
      } else if ('error' in o) entry.reject(o.error);
      else alone.push(this.writeCheckIn(entry.item).then(entry.resolve, entry.reject));
    }
    await Promise.all(alone);
  }

  /** The answer to a repeated request: the same people as the first time, or the key was reused for others. */
  private async replayOf(tx: Tx, code: string, requestKey: string, ids: string[]): Promise<CheckInResult> {
    const existing = await repo.staysByRequestKey(tx, code, requestKey);
    const same = new Set(existing.map((s) => s.evacueeId));
    if (same.size !== ids.length || ids.some((id) => !same.has(id))) throw ShelterErrors['idempotency-key-reused']();
    return { created: false, stays: await this.stayViews(tx, existing), acceptedOverCapacity: false };
  }

  /** Resolves card, QR and partner cases before the write transaction (each is its own audited step). */
  private async resolve(c: StaffCaller, code: string, req: CheckInRequest): Promise<Resolved | undefined> {
    const by = { actor: actorOf(c), requestId: c.requestId };
    if (req.certificate && !req.walkIn) {
      // A card read (offline queue included): identity is confirmed now, at sync.
      const cardKey = (await this.deps.identity.identify(counterOf(c), code, req.certificate, SHELTER_CHECK_IN_FLOW)).cardKey;
      return this.householdOfCard(c, code, cardKey, req.channel ?? 'card-touch');
    }
    if (req.qrToken) {
      const { qr, municipalities } = this.deps;
      const home = qr.tokenMunicipality(req.qrToken);
      if (home && home !== code && !(await this.arePartners(code, home))) {
        const m = await municipalities.get(home).catch(() => undefined);
        throw ShelterErrors['qr-other-municipality']({ home: m?.nameJa ?? home });
      }
      if (!home) {
        // Not a personal QR: maybe a blank intake card handed out earlier.
        const rows = await this.deps.db.tenant({ municipalityCode: code }, (tx) => this.peers.evacuees.householdOfIntakeCode(tx, req.qrToken!));
        if (!rows.length) throw ShelterErrors['intake-code-unknown']();
        return { home: code, rows, channel: 'qr' };
      }
      const v = home === code ? await qr.validate({ staff: c.staff, requestId: c.requestId }, code, req.qrToken) : await qr.validateForPartner({ staff: c.staff, requestId: c.requestId }, home, req.qrToken);
      if (home === code) {
        const rows = await this.deps.db.tenant({ municipalityCode: code }, async (tx) => {
          const h = await this.peers.evacuees.householdOfResident(tx, v.residentId);
          return h.length ? h : this.peers.evacuees.ensureResidentEvacuee(tx, code, v.residentId, by);
        });
        return { home: code, rows, channel: 'qr' };
      }
      return { home, rows: await this.partnerHousehold(code, home, v.residentId, by), channel: 'qr' };
    }
    return undefined;
  }

  private async alreadyIn(tx: Tx, evacueeIds: string[]) {
    const live = await repo.liveStaysOf(tx, evacueeIds);
    const s = live[0];
    if (!s) return ShelterErrors['already-in-shelter']({ shelter: '-', since: '-' });
    const sh = s.shelterId ? await repo.shelter(tx, s.shelterId) : undefined;
    return ShelterErrors['already-in-shelter']({ shelter: sh?.nameJa ?? placeJa(s.place), since: iso(s.checkedInAt) }, {
      details: { stayId: s.id, evacueeId: s.evacueeId, shelterId: s.shelterId, hostMunicipalityCode: s.municipalityCode, place: s.place },
    });
  }

  private recordedAt(at: string | undefined): Date {
    if (!at) return new Date();
    const d = new Date(at);
    const now = Date.now();
    if (Number.isNaN(d.getTime()) || d.getTime() > now + 5 * 60_000 || d.getTime() < now - MAX_OFFLINE_AGE_MS) {
      throw ShelterErrors['recorded-time-invalid']({ at });
    }
    return d;
  }

  // ─── Movements ─────────────────────────────────────────────────────────────────────────────

  async move(c: StaffCaller, code: string, stayId: string, req: MovementRequest): Promise<StayView> {
    assertMunicipalityCode(code);
    const ctx = actFor(c.staff, code, 'shelter:operate');
    const at = this.recordedAt(req.at);
    const actor = actorOf(c);
    return this.deps.db.tenant(ctx, async (tx) => {
      const stay = await repo.stay(tx, stayId);
      if (!stay || stay.municipalityCode !== code) throw ShelterErrors['stay-not-found']();
      const done = await repo.movementByKey(tx, code, req.idempotencyKey);
      if (done) {
        if (done.stayId !== stayId || done.kind !== req.kind) throw ShelterErrors['idempotency-key-reused']();
        // A transfer's replay answers with the new stay, as the first answer did.
        const current = req.kind === 'transfer' ? (await repo.staysByKeys(tx, code, [stayKey(req.idempotencyKey, stay.evacueeId)]))[0] ?? stay : stay;
        return (await this.stayViews(tx, [current]))[0]!;
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
        await repo.lockShelters(tx, [req.toShelterId, ...(stay.shelterId ? [stay.shelterId] : [])]);
        const to = await repo.shelterWithPresent(tx, req.toShelterId);
        if (!to || to.municipalityCode !== code) throw ShelterErrors['shelter-not-found']();
        if (to.status === 'closed' || to.status === 'requested') throw ShelterErrors['shelter-closed']({ shelter: to.nameJa });
        await repo.setStatus(tx, stay.id, 'moved', at);
        await repo.insertMovement(tx, { municipalityCode: code, evacueeMunicipalityCode: stay.evacueeMunicipalityCode, stayId: stay.id, kind: 'transfer', shelterId: stay.shelterId, toShelterId: to.id, at, actor, idempotencyKey: req.idempotencyKey });
        const [moved] = await repo.insertStays(tx, { host: code, shelterId: to.id, disasterId: to.disasterId ?? stay.disasterId, place: 'shelter', channel: stay.channel, at, actor, kind: 'check-in', requestKey: req.idempotencyKey },
          [{ evacueeId: stay.evacueeId, evacueeMunicipalityCode: stay.evacueeMunicipalityCode, householdId: stay.householdId, needs: stay.needs, sex: stay.sex, language: stay.language, idempotencyKey: stayKey(req.idempotencyKey, stay.evacueeId) }],
          encodeShelterChange({ host: code, home: stay.evacueeMunicipalityCode === code ? null : stay.evacueeMunicipalityCode, shelterId: to.id }));
        await tx.execute(sql`select pg_notify('kazashi_shelter', ${change})`);
        return (await this.stayViews(tx, [moved!], [to]))[0]!;
      }
      const status: StayRow['status'] = req.kind === 'out' ? 'out' : req.kind === 'back' ? 'in' : 'left';
      const updated = await repo.setStatus(tx, stay.id, status, status === 'left' ? at : null);
      await repo.insertMovement(tx, { municipalityCode: code, evacueeMunicipalityCode: stay.evacueeMunicipalityCode, stayId: stay.id, kind: req.kind, shelterId: stay.shelterId, at, actor, idempotencyKey: req.idempotencyKey });
      await tx.execute(sql`select pg_notify('kazashi_shelter', ${change})`);
      return (await this.stayViews(tx, [updated]))[0]!;
    });
  }

  async movements(c: StaffCaller, code: string, stayId: string): Promise<MovementView[]> {
    assertMunicipalityCode(code);
    return this.deps.db.tenant(actFor(c.staff, code, 'shelter:operate'), async (tx) => {
      const stay = await repo.stay(tx, stayId);
      if (!stay) throw ShelterErrors['stay-not-found']();
      const all = await repo.movements(tx, stayId);
      return all.map((m) => ({ stayId: m.stayId, kind: m.kind, shelterId: m.shelterId, toShelterId: m.toShelterId, at: iso(m.at), actor: m.actor }));
    });
  }

  // ─── Roster ────────────────────────────────────────────────────────────────────────────────

  async roster(c: StaffCaller, code: string, shelterId: string, filter: { q?: string; status?: 'in' | 'out' | 'all'; need?: Need }): Promise<RosterEntry[]> {
    assertMunicipalityCode(code);
    const ctx = actFor(c.staff, code, 'shelter:operate');
    const statuses: StayRow['status'][] = filter.status === 'in' ? ['in'] : filter.status === 'out' ? ['out'] : ['in', 'out'];
    const { stays, evacuees, sh } = await this.deps.db.tenant(ctx, async (tx) => {
      const sh = await repo.shelter(tx, shelterId);
      if (!sh || sh.municipalityCode !== code) throw ShelterErrors['shelter-not-found']();
      const stays = (await repo.roster(tx, shelterId, statuses)).filter((s) => !filter.need || s.needs.includes(filter.need));
      return { sh, stays, evacuees: await repo.evacueesByIds(tx, stays.map((s) => s.evacueeId)) };
    });
    const names = await this.peers.evacuees.names(code, evacuees, { actor: actorOf(c), purpose: `shelter roster | ${sh.nameJa}`, requestId: c.requestId });
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
        stay: this.view(s, sh),
      });
    }
    return out;
  }

  /** The roster as CSV for the paper fallback (UTF-8 with BOM so spreadsheet software reads Japanese). */
  async rosterCsv(c: StaffCaller, code: string, shelterId: string): Promise<{ filename: string; csv: string }> {
    const entries = await this.roster(c, code, shelterId, { status: 'all' });
    const sh = await this.deps.db.tenant({ municipalityCode: code }, (tx) => repo.shelter(tx, shelterId));
    const header = ['氏名', 'フリガナ', '状態', '入所日時', '世帯ID', '配慮事項', '言語', '住所自治体', '避難者ID'];
    const statusJa: Record<string, string> = { in: '在所', out: '一時外出', moved: '移動', left: '退所' };
    const needJa: Record<string, string> = { allergy: 'アレルギー', medication: '服薬', care: '要介護', disability: '障害', pregnancy: '妊娠', infant: '乳幼児', pet: 'ペット' };
    const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const lines = [header, ...entries.map((e) => [
      e.nameKanji ?? '（共有なし）', e.nameKana ?? '', statusJa[e.stay.status] ?? e.stay.status, e.stay.checkedInAt, e.householdId,
      e.needs.map((n) => needJa[n] ?? n).join('・'), e.language ?? '', e.municipalityCode, e.evacueeId,
    ])].map((r) => r.map((v) => cell(String(v))).join(','));
    return { filename: `roster-${sh?.localId ?? shelterId}.csv`, csv: `\uFEFF${lines.join('\r\n')}\r\n` };
  }

  // ─── Outside shelters (resident report) ────────────────────────────────────────────────────

  async outsideStay(p: ResidentPrincipal): Promise<StayView | undefined> {
    return this.deps.db.tenant({ municipalityCode: p.municipalityCode }, async (tx) => {
      const s = await repo.liveOutsideStay(tx, p.residentId);
      return s ? (await this.stayViews(tx, [s]))[0] : undefined;
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
      const prior = await repo.staysByKeys(tx, code, [key]);
      if (prior[0]) return { created: false, stay: (await this.stayViews(tx, prior))[0]! };
      let rows = await this.peers.evacuees.householdOfResident(tx, p.residentId);
      if (!rows.length) rows = await this.peers.evacuees.ensureResidentEvacuee(tx, code, p.residentId, by);
      const self = rows.find((r) => r.id === p.residentId) ?? rows[0]!;
      const live = await repo.liveStaysOf(tx, [self.id]);
      if (live[0]) {
        if (live[0].place === 'shelter') throw await this.alreadyIn(tx, [self.id]);
        // A new report replaces the previous outside place.
        await repo.setStatus(tx, live[0].id, 'left', new Date());
      }
      if (input.place === 'car' && (input.carPlate || input.carModel)) {
        const access = { municipalityCode: code, actor: 'resident:self', purpose: 'shelter outside-stay report (car)', requestId };
        const current = (await vault.getIfAny(access, self.id, 'evacuee', { tx })) ?? {};
        await vault.put(access, self.id, 'evacuee', { ...current, carPlate: input.carPlate ?? '', carModel: input.carModel ?? '' }, { tx });
      }
      const [created] = await repo.insertStays(tx, { host: code, shelterId: null, disasterId: null, place: input.place, channel: 'portal', at: new Date(), actor: 'resident:self', kind: 'report', requestKey: input.idempotencyKey },
        [{ evacueeId: self.id, evacueeMunicipalityCode: code, householdId: self.householdId, needs: self.needs, sex: self.sex, language: self.language, idempotencyKey: key }],
        encodeShelterChange({ host: code, home: null, shelterId: null }));
      return { created: true, stay: (await this.stayViews(tx, [created!]))[0]! };
    });
  }

  async endOutside(p: ResidentPrincipal): Promise<void> {
    await this.deps.db.tenant({ municipalityCode: p.municipalityCode }, async (tx) => {
      const s = await repo.liveOutsideStay(tx, p.residentId);
      if (!s || s.place === 'shelter') throw ShelterErrors['stay-not-found']();
      await repo.setStatus(tx, s.id, 'left', new Date());
      await repo.insertMovement(tx, { municipalityCode: s.municipalityCode, evacueeMunicipalityCode: s.evacueeMunicipalityCode, stayId: s.id, kind: 'check-out', shelterId: null, at: new Date(), actor: 'resident:self', idempotencyKey: null });
      await notifyShelterChange(tx, { host: s.municipalityCode, home: null, shelterId: null });
    });
  }

  // ─── Views ────────────────────────────────────────────────────────────────────────────────

  private async evacueeViews(c: StaffCaller, viewer: string, home: string, rows: EvacueeRow[], purpose: string): Promise<EvacueeView[]> {
    const names = await this.peers.evacuees.names(viewer, rows, { actor: actorOf(c), purpose, requestId: c.requestId });
    const live = home === viewer
      ? await this.deps.db.tenant({ municipalityCode: viewer }, (tx) => repo.liveStaysOf(tx, rows.map((r) => r.id)))
      : await this.deps.db.tenant({ municipalityCode: home }, (tx) => repo.liveStaysOf(tx, rows.map((r) => r.id)));
    const shelters = await this.deps.db.tenant({ municipalityCode: viewer }, (tx) => repo.sheltersByIds(tx, [...new Set(live.map((s) => s.shelterId).filter((x): x is string => !!x))]));
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

  private async stayViews(tx: Tx, stays: StayRow[], known: ShelterRow[] = []): Promise<StayView[]> {
    const ids = [...new Set(stays.map((s) => s.shelterId).filter((x): x is string => !!x))].filter((id) => !known.some((k) => k.id === id));
    const shelters = new Map([...known, ...(await repo.sheltersByIds(tx, ids))].map((s) => [s.id, s]));
    return stays.map((s) => this.view(s, s.shelterId ? shelters.get(s.shelterId) : undefined));
  }

  private view(s: StayRow, sh: ShelterRow | undefined): StayView {
    return {
      stayId: s.id, municipalityCode: s.municipalityCode, evacueeId: s.evacueeId, evacueeMunicipalityCode: s.evacueeMunicipalityCode,
      householdId: s.householdId, disasterId: s.disasterId, place: s.place, shelterId: s.shelterId,
      shelterNameJa: sh?.nameJa ?? null, shelterNameEn: sh?.nameEn ?? null, status: s.status, channel: s.channel,
      needs: s.needs as Need[], checkedInAt: iso(s.checkedInAt), endedAt: s.endedAt ? iso(s.endedAt) : null,
    };
  }
}

async function cardHome(tx: Tx, cardKey: string): Promise<{ municipalityCode: string; residentId: string } | undefined> {
  const res = (await tx.execute(sql`select municipality_code, resident_id from kazashi_card_home(${cardKey})`)) as unknown as { rows: { municipality_code: string; resident_id: string }[] };
  const r = res.rows[0];
  return r ? { municipalityCode: r.municipality_code, residentId: r.resident_id } : undefined;
}

const normalise = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
const placeJa = (p: string) => ({ home: '在宅', car: '車中', tent: 'テント', other: 'その他', shelter: '避難所' } as Record<string, string>)[p] ?? p;

// The check-in writer: the hot path (a shelter fills in minutes). Validated and resolved requests are
// written in one transaction of four statements, several requests of a municipality together.
import crypto from 'node:crypto';
import type { TenantContext, Tx } from '../../kernel/db/engine.js';
import { isUniqueViolation } from '../../kernel/db/errors.js';
import { GroupCommitQueue, type BatchEntry } from '../../kernel/db/groupCommit.js';
import { actFor } from '../../kernel/callers.js';
import { assertMunicipalityCode } from '../../kernel/tenancy/municipalityCode.js';
import type { ShelterServiceDeps } from '../deps.js';
import { ShelterErrors } from '../errors.js';
import type { EvacueeService } from '../evacuee/service.js';
import type { ShelterChange, ShelterChangePublisher } from '../hq/notify.js';
import type { CheckInRequest, CheckInResult, StayChannel } from '../contract.js';
import { actorOf, recordedAt, stayKey, type StaffCaller } from './common.js';
import { stayRepository, type EvacueeRow, type NewStay, type ShelterRow, type StayInsert, type StayRepository, type StayRow } from './repository.js';
import type { TouchResolution } from './touch.js';
import type { StayViews } from './views.js';

/** A check-in after validation and identity resolution, ready for the write transaction. */
export interface CheckInWrite {
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

/** A deterministic uuid for a walk-in created from a client key, so a retried offline request finds the same person. */
export function walkInId(host: string, key: string): string {
  const h = crypto.createHash('sha256').update(`kazashi-walk-in|${host}|${key}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50; // version 5-style
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/**
 * The checks between reading the shelter and writing the stays (shared by one and many): the people
 * exist, come from one municipality, and the shelter takes them (open; full only with acceptFull).
 * `present` is the shelter's count before this request (in a batch: including earlier requests).
 */
export function admit(w: Pick<CheckInWrite, 'code' | 'req' | 'ids' | 'resolved'>, sh: ShelterRow, rows: EvacueeRow[], present: number): { stays: NewStay[]; home: string; over: boolean } {
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

export class CheckInWriter {
  /** Check-ins of one municipality arriving together are written together (group commit). */
  readonly queue: GroupCommitQueue<CheckInWrite, CheckInResult>;

  constructor(
    private readonly deps: Pick<ShelterServiceDeps, 'db' | 'config'>,
    private readonly peers: {
      touches: Pick<TouchResolution, 'resolve' | 'walkInCard'>;
      views: Pick<StayViews, 'stayViews' | 'alreadyIn'>;
      evacuees: Pick<EvacueeService, 'householdOfIntakeCode' | 'createWalkIn'>;
      publisher: Pick<ShelterChangePublisher, 'publish'>;
    },
    private readonly repo: StayRepository = stayRepository,
  ) {
    this.queue = new GroupCommitQueue((group, entries) => this.checkInBatch(group, entries), deps.config.checkInBatch);
  }

  async checkIn(c: StaffCaller, code: string, shelterId: string, req: CheckInRequest): Promise<CheckInResult> {
    assertMunicipalityCode(code);
    const ctx = actFor(c.staff, code, 'shelter:operate');
    const at = recordedAt(req.at);
    const subset = !!(req.certificate && req.evacueeIds?.length);
    const ways = [req.evacueeIds?.length && !subset, req.certificate && !req.walkIn, req.qrToken, req.walkIn].filter(Boolean).length;
    if (ways !== 1) throw ShelterErrors['check-in-who-missing']();

    // Card, QR and partner lookups are their own audited steps, before the write transaction
    // (a transaction never opens inside another).
    const resolved = await this.peers.touches.resolve(c, code, req);
    let rowsOfResolved = resolved?.rows;
    if (resolved && req.evacueeIds?.length) {
      const wanted = new Set(req.evacueeIds);
      rowsOfResolved = resolved.rows.filter((r) => wanted.has(r.id));
      if (rowsOfResolved.length !== wanted.size) throw ShelterErrors['evacuee-not-found']();
    }
    const walkInCardKey = req.walkIn?.certificate ? await this.peers.touches.walkInCard(c, code, req.walkIn.certificate) : null;
    const walkInEvacueeId = req.walkIn ? walkInId(code, req.idempotencyKey) : undefined;
    const ids = rowsOfResolved ? rowsOfResolved.map((r) => r.id) : walkInEvacueeId ? [walkInEvacueeId] : [...new Set(req.evacueeIds)];
    if (!ids.length) throw ShelterErrors['evacuee-not-found']();

    const write: CheckInWrite = {
      code, ctx, shelterId, req, at, actor: actorOf(c), requestId: c.requestId, ids, walkInEvacueeId, walkInCardKey,
      resolved: rowsOfResolved ? { rows: rowsOfResolved, channel: resolved!.channel } : undefined,
    };
    // Walk-ins create a person inside the write: alone. Everything else may share a transaction.
    if (req.walkIn) return this.writeCheckIn(write);
    return this.queue.submit(`${code}|${ctx.platformAdmin ? 'admin' : ''}`, write);
  }

  /** One check-in in its own transaction: the path every request could take, and the batches' fallback. */
  private async writeCheckIn(w: CheckInWrite): Promise<CheckInResult> {
    const { code, req, ids } = w;
    const { repo } = this;
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
        const admitted = admit(w, sh, rows, sh.present);
        const created = await repo.insertStays(tx, { host: code, shelterId: sh.id, disasterId: sh.disasterId, place: 'shelter', channel, at: w.at, actor: w.actor, kind: 'check-in', requestKey: req.idempotencyKey },
          admitted.stays, null);
        change = { host: code, home: admitted.home === code ? null : admitted.home, shelterId: sh.id };
        if (created.length !== admitted.stays.length) {
          // The same key raced in from a concurrent request, which committed first: answer its stays.
          if (created.length > 0) throw ShelterErrors['idempotency-key-reused']();
          return this.replayOf(tx, code, req.idempotencyKey, ids);
        }
        return { created: true, stays: await this.peers.views.stayViews(tx, created, [sh]), acceptedOverCapacity: admitted.over };
      });
      // Announced after commit, batched (see ShelterChangePublisher).
      if (change) this.peers.publisher.publish(change);
      return result;
    } catch (e) {
      if (isUniqueViolation(e, 'shelter_stay_live_uq')) {
        throw await this.deps.db.tenant({ municipalityCode: code }, (tx) => this.peers.views.alreadyIn(tx, ids));
      }
      // Two kiosks entering the same new intake card at once: the second finds it used.
      if (isUniqueViolation(e, 'evacuee_intake_uq')) throw ShelterErrors['intake-code-used']();
      throw e;
    }
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
    const { repo } = this;
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
            const a = admit(w, sh, rows, present.get(sh.id)!);
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
            ok: { created: true, stays: await this.peers.views.stayViews(tx, mine as StayRow[], [a.sh]), acceptedOverCapacity: a.over },
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
    const existing = await this.repo.staysByRequestKey(tx, code, requestKey);
    const same = new Set(existing.map((s) => s.evacueeId));
    if (same.size !== ids.length || ids.some((id) => !same.has(id))) throw ShelterErrors['idempotency-key-reused']();
    return { created: false, stays: await this.peers.views.stayViews(tx, existing), acceptedOverCapacity: false };
  }
}

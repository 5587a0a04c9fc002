import { actFor, type StaffPrincipal } from '../../kernel/callers.js';
import type { ShelterServiceDeps } from '../deps.js';
import { hqRepository, inAggregatePart, type AggregatePart, type HqShelterRow, type StayAggregateRow } from './repository.js';
import { NEEDS, type Hazard } from '../schema.js';
import type { DisasterView, HqOverview, NeedCounts, PublicShelterView, ShelterSummary, StayPlace } from '../contract.js';
import type { ShelterChange } from './notify.js';

type OutsidePlace = Exclude<StayPlace, 'shelter'>;
const OUTSIDE_PLACES: OutsidePlace[] = ['home', 'car', 'tent', 'other'];

const iso = (d: Date | string) => new Date(d).toISOString();
const zeroNeeds = (): NeedCounts => Object.fromEntries(NEEDS.map((n) => [n, 0])) as NeedCounts;
/** Japanese (or unknown) needs no interpreter: only other languages are counted. */
const isJapanese = (lang: string | null) => !lang || lang === 'ja' || lang.toLowerCase().startsWith('ja-');

/** Public congestion bands: empty < 50 % ≤ some < 80 % ≤ crowded < 100 % ≤ full. */
export function congestionOf(status: string, present: number, capacity: number | null): PublicShelterView['congestion'] {
  // HQ declaring a shelter full (満員) overrides the count: staff know about space the count does not.
  if (status === 'full') return 'full';
  if (capacity == null || capacity <= 0) return 'unknown';
  const rate = present / capacity;
  if (rate >= 1) return 'full';
  if (rate >= 0.8) return 'crowded';
  if (rate >= 0.5) return 'some';
  return 'empty';
}

/**
 * How long one aggregate of a municipality's live stays answers, patched by change notices, before it
 * is computed afresh: this bounds the damage of a notice that never came (the listener reconnecting,
 * a publisher dying inside its batching window). Until twice this age the old snapshot still answers
 * while the fresh one is computed in the background, so no dashboard waits for the full count.
 */
export const AGGREGATE_MAX_AGE_MS = 30_000;

/** One computation of a municipality's live-stay aggregate; `at` is taken before the query (the snapshot's time). */
interface AggregateSnapshot {
  at: Date;
  rows: Promise<StayAggregateRow[]>;
}

/** What changed in a municipality's aggregate since its snapshot: the parts to re-count. */
type Marks = { shelterIds: Set<string>; outside: boolean; elsewhere: boolean };
const noMarks = (): Marks => ({ shelterIds: new Set(), outside: false, elsewhere: false });
/** A change to one part of a municipality's aggregate (see AggregatePart). */
export type AggregateChange = { shelterId: string } | 'outside' | 'elsewhere';

/**
 * The overview's one expensive part (an aggregate over every live stay) computed once per municipality
 * and shared: by the requests that arrive while it runs (a page load asks for the overview twice and for
 * the supplies estimate) and by those after it. A change notice marks the part it touches (one of the
 * municipality's shelters, its people outside shelters, its residents in partners' shelters); the next
 * request re-counts only the marked parts (cheap queries on partial indexes) and swaps their rows in,
 * so under a stream of changes every load stays warm. Every server instance LISTENs, so each keeps its
 * own snapshots current. Off until the live hub listens: without notices a snapshot could not be trusted.
 */
export class AggregateCache {
  private readonly snapshots = new Map<string, AggregateSnapshot>();
  /** Parts changed since the municipality's snapshot was computed or last patched. */
  private readonly marks = new Map<string, Marks>();
  /** Background recomputations under way (see AGGREGATE_MAX_AGE_MS), with the changes seen since each started. */
  private readonly refreshing = new Map<string, Marks>();
  private tracking = false;
  /** Full computations, patches and background refreshes so far (tests and the benchmark read them). */
  readonly stats = { computed: 0, patched: 0, refreshed: 0 };

  constructor(
    private readonly compute: (code: string, part?: AggregatePart) => Promise<StayAggregateRow[]>,
    private readonly maxAgeMs: number,
  ) {}

  track(on: boolean): void {
    this.tracking = on;
    this.snapshots.clear();
    this.marks.clear();
    this.refreshing.clear();
  }

  /** A change seen by `code`: the next answer re-counts that part. */
  changed(code: string, change: AggregateChange): void {
    for (const marks of [this.snapshots.has(code) ? this.marksOf(this.marks, code) : undefined, this.refreshing.get(code)]) {
      if (!marks) continue;
      if (change === 'outside') marks.outside = true;
      else if (change === 'elsewhere') marks.elsewhere = true;
      else marks.shelterIds.add(change.shelterId);
    }
  }

  get(code: string): AggregateSnapshot {
    const cached = this.snapshots.get(code);
    const age = cached ? Date.now() - cached.at.getTime() : Infinity;
    if (cached && age <= 2 * this.maxAgeMs) {
      if (age > this.maxAgeMs) this.refresh(code);
      const marks = this.marks.get(code);
      if (!marks || (!marks.shelterIds.size && !marks.outside && !marks.elsewhere)) return cached;
      this.marks.delete(code);
      return this.keep(code, { at: new Date(), rows: this.patch(code, cached.rows, marks) });
    }
    this.marks.delete(code);
    this.stats.computed++;
    const snapshot: AggregateSnapshot = { at: new Date(), rows: this.compute(code) };
    return this.tracking ? this.keep(code, snapshot) : snapshot;
  }

  private marksOf(map: Map<string, Marks>, code: string): Marks {
    let m = map.get(code);
    if (!m) map.set(code, (m = noMarks()));
    return m;
  }

  /** Computes the municipality afresh in the background; the old snapshot answers meanwhile. */
  private refresh(code: string): void {
    if (this.refreshing.has(code) || !this.tracking) return;
    const since = noMarks();
    this.refreshing.set(code, since);
    this.stats.refreshed++;
    const at = new Date();
    this.compute(code).then(
      (rows) => {
        if (this.refreshing.get(code) !== since) return; // tracking was reset meanwhile
        this.refreshing.delete(code);
        this.snapshots.set(code, { at, rows: Promise.resolve(rows) });
        // Changes that arrived while it ran may be missing from it: they stay marked.
        this.marks.set(code, since);
      },
      () => { if (this.refreshing.get(code) === since) this.refreshing.delete(code); },
    );
  }

  private async patch(code: string, base: Promise<StayAggregateRow[]>, marks: Marks): Promise<StayAggregateRow[]> {
    this.stats.patched++;
    const part: AggregatePart = { shelterIds: [...marks.shelterIds], outside: marks.outside, elsewhere: marks.elsewhere };
    const [rows, fresh] = await Promise.all([base, this.compute(code, part)]);
    // The re-count of a part replaces exactly the rows of that part.
    const ids = new Set(part.shelterIds);
    return [...rows.filter((r) => !inAggregatePart(code, part, r, ids)), ...fresh];
  }

  private keep(code: string, snapshot: AggregateSnapshot): AggregateSnapshot {
    this.snapshots.set(code, snapshot);
    // A failed computation is not an answer to keep.
    snapshot.rows.catch(() => { if (this.snapshots.get(code) === snapshot) this.snapshots.delete(code); });
    return snapshot;
  }
}

/**
 * The disaster HQ view (災害対策本部): live counts per shelter from one aggregate over live stays,
 * this municipality's residents in partners' shelters, and the public congestion page.
 */
export class ShelterHqService {
  readonly aggregates: AggregateCache;
  /** The background computation started with tracking (tests wait for it). */
  warming: Promise<void> = Promise.resolve();

  constructor(readonly deps: ShelterServiceDeps, maxAgeMs = AGGREGATE_MAX_AGE_MS, private readonly repo: typeof hqRepository = hqRepository) {
    // Read as the municipality itself: row-level security shows it exactly the rows the scope selects,
    // whoever asks (staff of the municipality or a platform admin acting for it).
    this.aggregates = new AggregateCache(
      (code, part) => deps.db.tenant({ municipalityCode: code }, (tx) => this.repo.liveStayAggregates(tx, code, part)),
      maxAgeMs,
    );
  }

  /**
   * The live hub: whether change notices arrive (snapshots are kept only while they do). From the
   * start of tracking, the municipalities with a disaster under way get their snapshot computed in the
   * background, so the first dashboard opened after a server start does not wait for the full count.
   */
  trackChanges(on: boolean): void {
    this.aggregates.track(on);
    if (on) this.warming = this.warm().catch(() => { /* a later request computes it */ });
  }

  private async warm(): Promise<void> {
    const { db, municipalities } = this.deps;
    for (const m of await municipalities.publicDirectory()) {
      if (!m.services.includes('shelter')) continue;
      const active = await db.tenant({ municipalityCode: m.code }, (tx) => this.repo.activeDisasters(tx, m.code));
      if (active.length > 0) await this.aggregates.get(m.code).rows;
    }
  }

  /**
   * The live hub: stays changed. The host re-counts that shelter (or its people outside shelters: a
   * change without a shelter is an outside report, hosted by the evacuee's own municipality); the
   * evacuees' home, if another, re-counts its residents in partners' shelters.
   */
  staysChanged(change: ShelterChange): void {
    this.aggregates.changed(change.host, change.shelterId ? { shelterId: change.shelterId } : 'outside');
    if (change.home && change.home !== change.host) this.aggregates.changed(change.home, 'elsewhere');
  }

  /**
   * Internal (the live hub, supplies): live summaries of `code`'s shelters, acting as `code`. Without
   * `shelterIds`: every shelter that is not closed; with them: those shelters whatever their status.
   */
  async summaries(code: string, shelterIds?: string[]): Promise<ShelterSummary[]> {
    if (shelterIds && shelterIds.length === 0) return [];
    if (!shelterIds) {
      const snapshot = this.aggregates.get(code);
      const aggregates = await snapshot.rows;
      const shelters = await this.deps.db.tenant({ municipalityCode: code }, (tx) => this.repo.openShelters(tx, code));
      return summarise(code, shelters, aggregates, snapshot.at);
    }
    // The hub's refresh of a few changed shelters: always fresh (it runs because they changed).
    return this.deps.db.tenant({ municipalityCode: code }, async (tx) => {
      const now = new Date();
      const aggregates = await this.repo.liveStayAggregates(tx, code, { shelterIds });
      const shelters = await this.repo.sheltersByIds(tx, code, shelterIds);
      return summarise(code, shelters, aggregates, now);
    });
  }

  /** GET /api/municipalities/:code/hq/overview (shelter:operate). */
  async overview(staff: StaffPrincipal, code: string): Promise<HqOverview> {
    const ctx = actFor(staff, code, 'shelter:operate');
    // Counts as of the snapshot (generatedAt, every row's updatedAt): the dashboard lets a live event
    // that is newer win over them. Shelters and disasters are read fresh, they are cheap.
    const snapshot = this.aggregates.get(code);
    const aggregates = await snapshot.rows;
    const now = snapshot.at;
    return this.deps.db.tenant(ctx, async (tx) => {
      const elsewhere = new Map<string, { municipalityCode: string; shelterId: string; count: number }>();
      const outside = Object.fromEntries(OUTSIDE_PLACES.map((p) => [p, 0])) as HqOverview['outside'];
      for (const a of aggregates) {
        if (a.by_language) continue;
        if (a.place !== 'shelter') {
          // Outside stays are hosted by the evacuee's own municipality; RLS and the scope keep them ours.
          outside[a.place] += a.present + a.out;
        } else if (a.host !== code && a.shelter_id) {
          elsewhere.set(a.shelter_id, { municipalityCode: a.host, shelterId: a.shelter_id, count: a.present + a.out });
        }
      }
      const shelters = await this.repo.openShelters(tx, code, [...elsewhere.keys()]);
      const ours = shelters.filter((s) => s.municipalityCode === code);
      const names = new Map(shelters.map((s) => [s.id, s]));
      const summaries = summarise(code, ours, aggregates, now);
      const disasters = await this.repo.activeDisasters(tx, code);
      return {
        municipalityCode: code,
        disasters: disasters.map((d): DisasterView => ({
          id: d.id, municipalityCode: d.municipalityCode, kind: d.kind, nameJa: d.nameJa, nameEn: d.nameEn, area: d.area,
          declaredAt: iso(d.declaredAt), declaredBy: d.declaredBy, endedAt: d.endedAt ? iso(d.endedAt) : null,
        })),
        shelters: summaries,
        outside,
        residentsElsewhere: [...elsewhere.values()]
          .map((e) => ({ ...e, nameJa: names.get(e.shelterId)?.nameJa ?? '', nameEn: names.get(e.shelterId)?.nameEn ?? '' }))
          .sort((a, b) => a.municipalityCode.localeCompare(b.municipalityCode) || b.count - a.count || a.nameJa.localeCompare(b.nameJa)),
        totals: {
          present: summaries.reduce((n, s) => n + s.present, 0),
          out: summaries.reduce((n, s) => n + s.out, 0),
          // Per shelter: a household split across two shelters is counted in each.
          households: summaries.reduce((n, s) => n + s.households, 0),
          shelters: summaries.length,
          capacity: summaries.reduce((n, s) => n + (s.capacity ?? 0), 0),
        },
        generatedAt: now.toISOString(),
      };
    });
  }

  /** GET /api/public/municipalities/:code/shelters: open shelters and how crowded they are; counts only. */
  async publicShelters(code: string): Promise<PublicShelterView[]> {
    return this.deps.db.tenant({ municipalityCode: code }, async (tx) => {
      await this.deps.municipalities.get(code, tx); // 400 for a malformed code, 404 for an unknown one
      const shelters = await this.repo.openShelters(tx, code);
      const present = await this.repo.presentByShelter(tx, code);
      const now = new Date().toISOString();
      return shelters.map((s): PublicShelterView => {
        const n = present.get(s.id) ?? 0;
        return {
          id: s.id, nameJa: s.nameJa, nameEn: s.nameEn, address: s.address, latitude: s.latitude, longitude: s.longitude,
          kind: s.kind, hazards: s.hazards as Hazard[], status: s.status, capacity: s.capacity, present: n,
          congestion: congestionOf(s.status, n, s.capacity), updatedAt: now,
        };
      });
    });
  }
}

/** Joins the municipality's shelters with the aggregate rows of the stays they host. */
function summarise(code: string, shelters: HqShelterRow[], aggregates: StayAggregateRow[], at: Date): ShelterSummary[] {
  const byShelter = new Map<string, { total?: StayAggregateRow; languages: Record<string, number> }>();
  for (const a of aggregates) {
    if (a.host !== code || a.place !== 'shelter' || !a.shelter_id) continue;
    let entry = byShelter.get(a.shelter_id);
    if (!entry) byShelter.set(a.shelter_id, (entry = { languages: {} }));
    if (!a.by_language) entry.total = a;
    else if (!isJapanese(a.language)) entry.languages[a.language!] = a.present + a.out;
  }
  const updatedAt = at.toISOString();
  return shelters.map((s): ShelterSummary => {
    const e = byShelter.get(s.id);
    const t = e?.total;
    const present = t?.present ?? 0;
    return {
      shelterId: s.id, municipalityCode: s.municipalityCode, nameJa: s.nameJa, nameEn: s.nameEn,
      latitude: s.latitude, longitude: s.longitude, kind: s.kind, status: s.status, disasterId: s.disasterId, capacity: s.capacity,
      present, out: t?.out ?? 0, households: t?.households ?? 0, male: t?.male ?? 0, female: t?.female ?? 0,
      fromOtherMunicipalities: t?.from_other ?? 0,
      needs: t ? { ...zeroNeeds(), ...t.needs } : zeroNeeds(),
      languages: e?.languages ?? {},
      occupancyRate: s.capacity ? Math.round((present / s.capacity) * 1000) / 1000 : null,
      updatedAt,
    };
  });
}

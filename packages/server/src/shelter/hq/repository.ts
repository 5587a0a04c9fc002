import { and, asc, eq, inArray, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../kernel/db/engine.js';
import { disaster, NEEDS, shelter, type Need, type StayPlace } from '../schema.js';

/**
 * A part of a municipality's live-stay aggregate, re-counted alone after a change: some of its own
 * shelters, its people outside shelters (at home, in cars, in tents), its residents in partners' shelters.
 */
export interface AggregatePart {
  shelterIds?: string[];
  outside?: boolean;
  elsewhere?: boolean;
}

/** Whether an aggregate row belongs to a part of `code`'s aggregate (the rows a re-count of it replaces). */
export function inAggregatePart(code: string, part: AggregatePart, row: Pick<StayAggregateRow, 'host' | 'place' | 'shelter_id'>, shelterIds = new Set(part.shelterIds)): boolean {
  if (row.host !== code) return part.elsewhere === true;
  if (row.place !== 'shelter') return part.outside === true;
  return !!row.shelter_id && shelterIds.has(row.shelter_id);
}

/** One group of live stays: per (host, place, shelter), and again per language within it. */
export interface StayAggregateRow {
  host: string;
  place: StayPlace;
  shelter_id: string | null;
  language: string | null;
  /** True for the per-language rows (grouping set with language); false for the shelter totals. */
  by_language: boolean;
  present: number;
  out: number;
  households: number;
  male: number;
  female: number;
  from_other: number;
  needs: Record<Need, number>;
}

type RawAggregateRow = Omit<StayAggregateRow, 'needs' | 'by_language'> & { by_language: number | boolean } & Record<`need_${Need}`, number>;

// Constants only (never input): the needs columns of the aggregate. Most people have no needs: the
// length check skips unpacking their empty array seven times (about a fifth of the scan's cost).
const needColumns = sql.raw(NEEDS.map((n) => `count(*) filter (where cardinality(needs) > 0 and '${n}' = any(needs))::int as need_${n}`).join(', '));

const shelterColumns = {
  id: shelter.id, municipalityCode: shelter.municipalityCode, nameJa: shelter.nameJa, nameEn: shelter.nameEn,
  address: shelter.address, latitude: shelter.latitude, longitude: shelter.longitude, kind: shelter.kind,
  hazards: shelter.hazards, status: shelter.status, disasterId: shelter.disasterId, capacity: shelter.capacity,
};

const uuidList = (ids: string[]) => sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `);

/** The only code of the HQ view that touches the shelter tables (read only). */
export const hqRepository = {
  /**
   * Every live stay (in / out) the municipality hosts or whose evacuee is its own, counted in ONE scan
   * (the partial indexes on status in ('in','out') cover both sides of the OR) grouped by host, place
   * and shelter, with a second grouping set per language over the same sorted input. The coarse flags
   * are the copies on shelter_stay: no join to evacuee, no cross-tenant read.
   * With `part`: only that part (a snapshot's patch, the live hub's refresh of a few shelters).
   * Measured on PostgreSQL with 1,000 open shelters and 200,000 live stays: about 0.3–0.5 s on a busy
   * 2-core machine, most of it the scan under row-level security and the one sort (shelter_id first:
   * uuids compare cheaply). The callers share one result per municipality (hqService's snapshot).
   */
  liveStayAggregates: async (tx: Tx, code: string, part?: AggregatePart): Promise<StayAggregateRow[]> => {
    let scope: SQL;
    if (!part) scope = sql`(municipality_code = ${code} or evacuee_municipality_code = ${code})`;
    else {
      // Each part on its own partial index (shelter, place, home); their rows never overlap.
      const parts: SQL[] = [];
      if (part.shelterIds?.length) parts.push(sql`(municipality_code = ${code} and shelter_id in (${uuidList(part.shelterIds)}))`);
      if (part.outside) parts.push(sql`(municipality_code = ${code} and place <> 'shelter')`);
      if (part.elsewhere) parts.push(sql`(evacuee_municipality_code = ${code} and municipality_code <> ${code})`);
      if (parts.length === 0) return [];
      scope = sql`(${sql.join(parts, sql` or `)})`;
    }
    // The whole municipality sorts ~30 MB of rows at 200,000 stays: with the default work_mem (4 MB)
    // that sort spills to disk (about a third of the query's time). For this transaction only.
    if (!part) await tx.execute(sql`set local work_mem = '64MB'`);
    // One JSON value rather than thousands of rows: the driver's per-field parsing of ~2,000 rows of 18
    // columns cost the server more than the rest of the request. Japanese-language groups are left out
    // here (the view counts only languages that need an interpreter; see isJapanese in hqService).
    const res = (await tx.execute(sql`
      select coalesce(json_agg(a), '[]'::json) as rows from (
        select municipality_code as host, place, shelter_id, language, grouping(language) = 0 as by_language,
          count(*) filter (where status = 'in')::int as present,
          count(*) filter (where status = 'out')::int as out,
          count(distinct household_id)::int as households,
          count(*) filter (where sex = 'male')::int as male,
          count(*) filter (where sex = 'female')::int as female,
          count(*) filter (where evacuee_municipality_code <> municipality_code)::int as from_other,
          ${needColumns}
        from shelter_stay
        where status in ('in', 'out') and ${scope}
        group by grouping sets ((shelter_id, municipality_code, place), (shelter_id, municipality_code, place, language))
        having grouping(language) = 1 or not (language is null or language = 'ja' or lower(language) like 'ja-%')
      ) a`)) as unknown as { rows: { rows: RawAggregateRow[] | string }[] };
    const raw = res.rows[0]?.rows ?? [];
    // PostgreSQL's driver parses json; a driver that hands back text gets it parsed here.
    const rows: RawAggregateRow[] = typeof raw === 'string' ? (JSON.parse(raw) as RawAggregateRow[]) : raw;
    return rows.map((r) => ({
      host: String(r.host), place: r.place, shelter_id: r.shelter_id, language: r.language, by_language: r.by_language === true || r.by_language === 1,
      present: r.present, out: r.out, households: r.households, male: r.male, female: r.female, from_other: r.from_other,
      needs: Object.fromEntries(NEEDS.map((n) => [n, r[`need_${n}`]])) as Record<Need, number>,
    }));
  },

  /** People present (in) per shelter the municipality hosts: the public page needs nothing more. */
  presentByShelter: async (tx: Tx, code: string): Promise<Map<string, number>> => {
    const res = (await tx.execute(sql`
      select shelter_id, count(*) filter (where status = 'in')::int as present
      from shelter_stay
      where status in ('in', 'out') and municipality_code = ${code} and place = 'shelter'
      group by shelter_id`)) as unknown as { rows: { shelter_id: string | null; present: number }[] };
    return new Map(res.rows.filter((r) => r.shelter_id).map((r) => [r.shelter_id!, r.present]));
  },

  /** The municipality's shelters that are not closed, plus any other shelters by id (names for joint use). */
  openShelters: async (tx: Tx, code: string, alsoIds: string[] = []) =>
    tx.select(shelterColumns).from(shelter)
      .where(alsoIds.length > 0
        ? or(and(eq(shelter.municipalityCode, code), ne(shelter.status, 'closed')), inArray(shelter.id, alsoIds))
        : and(eq(shelter.municipalityCode, code), ne(shelter.status, 'closed')))
      .orderBy(asc(shelter.municipalityCode), asc(shelter.localId)),

  /** These shelters of the municipality, whatever their status (a just-closed shelter still gets its update). */
  sheltersByIds: async (tx: Tx, code: string, ids: string[]) =>
    ids.length === 0 ? [] : tx.select(shelterColumns).from(shelter)
      .where(and(eq(shelter.municipalityCode, code), inArray(shelter.id, ids)))
      .orderBy(asc(shelter.localId)),

  /** Disasters of the municipality that have not ended, newest first. */
  activeDisasters: async (tx: Tx, code: string) =>
    tx.select().from(disaster)
      .where(and(eq(disaster.municipalityCode, code), isNull(disaster.endedAt)))
      .orderBy(sql`${disaster.declaredAt} desc`),
};

export type HqShelterRow = Awaited<ReturnType<typeof hqRepository.openShelters>>[number];

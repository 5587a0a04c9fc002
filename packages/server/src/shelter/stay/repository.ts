import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { preparedQuery, type Tx } from '../../kernel/db/engine.js';
import { fromDriverRow } from '../../kernel/db/rows.js';
import { SHELTER_CHANNEL } from '../hq/notify.js';
import { evacuee, shelter, shelterStay, stayMovement, type MovementKind, type StayPlace } from '../schema.js';

export type StayRow = typeof shelterStay.$inferSelect;
export type MovementRow = typeof stayMovement.$inferSelect;
export type ShelterRow = typeof shelter.$inferSelect;
export type EvacueeRow = typeof evacuee.$inferSelect;

/** One stay to create: the evacuee's coarse flags are copied so counts never need the evacuee table. */
export interface NewStay {
  evacueeId: string;
  evacueeMunicipalityCode: string;
  householdId: string;
  needs: string[];
  sex: string | null;
  language: string | null;
  idempotencyKey: string;
}

/** A stay of a group commit: the NewStay plus what differs between the requests of one batch. */
export interface StayInsert extends NewStay {
  shelterId: string | null;
  disasterId: string | null;
  channel: string;
  at: Date;
  actor: string;
  requestKey: string;
}

/** A Postgres array literal from JS values (drizzle's template would expand a JS array into a list). */
function pgArray(values: readonly (string | null)[], type: 'uuid' | 'text' | 'timestamptz'): SQL {
  if (values.length === 0) return sql.raw(`'{}'::${type}[]`);
  return sql`array[${sql.join(values.map((v) => sql`${v}`), sql`, `)}]::${sql.raw(type)}[]`;
}

/** needs arrays as one text[] per row: passed as JSON and unpacked, since Postgres has no array of arrays of varying length. */
function needsJson(stays: readonly NewStay[]): string {
  return JSON.stringify(stays.map((s) => s.needs));
}

const iso = (d: Date | string) => new Date(d).toISOString();
export { iso };

// The check-in hot path's statements: constant text (arrays as single parameters), so PostgreSQL
// prepares each once per connection.
const INSERT_STAYS_SQL = `
  with input as (
    select * from unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::uuid[], $8::uuid[], $9::text[],
                         $10::timestamptz[], $11::text[], $12::text[])
      with ordinality as i(evacuee_id, home, household_id, sex, language, key, shelter_id, disaster_id, channel, at, actor, request_key, n)
  ), ins as (
    insert into shelter_stay (municipality_code, evacuee_municipality_code, evacuee_id, household_id, disaster_id, place, shelter_id,
                              status, channel, needs, sex, language, idempotency_key, request_key, checked_in_at, created_by)
    select $14::text, i.home, i.evacuee_id, i.household_id, i.disaster_id, $15::text, i.shelter_id,
           'in', i.channel, coalesce(array(select jsonb_array_elements_text($13::jsonb -> (i.n::int - 1))), '{}'),
           i.sex, i.language, i.key, i.request_key, i.at, i.actor
    from input i
    order by i.n
    on conflict (municipality_code, idempotency_key) do nothing
    returning *
  ), mv as (
    insert into stay_movement (municipality_code, evacuee_municipality_code, stay_id, kind, shelter_id, at, actor, idempotency_key)
    select municipality_code, evacuee_municipality_code, id, $16::text, shelter_id, checked_in_at, created_by, idempotency_key from ins
  )
  select ins.* from ins`;

/** Exported for the test of its plan (stays.test.ts). */
export const CHECK_IN_BATCH_READ_SQL = `
  select s.*,
    -- Kept by triggers (migration 0014): one row, however full the shelter.
    coalesce((select o.present from shelter_occupancy o where o.shelter_id = s.id), 0) as present,
    -- Uncorrelated: computed once, repeated on each shelter row. bpchar like the column, or the
    -- comparison would cast the column and shelter_stay_request_idx could not serve it.
    (select coalesce(json_agg(distinct request_key), '[]'::json) from shelter_stay
      where municipality_code = $2::bpchar and request_key = any($3::text[])) as replayed,
    (select coalesce(json_agg(e), '[]'::json) from evacuee e where e.id = any($4::uuid[])) as evacuees,
    -- People already in (or temporarily out of) a shelter, as far as the caller sees their stays.
    (select coalesce(json_agg(evacuee_id), '[]'::json) from shelter_stay where evacuee_id = any($5::uuid[]) and status in ('in', 'out')) as live
  from shelter s where s.id = any($1::uuid[])`;

export const stayRepository = {
  /** The shelter with its present count (kept by triggers: one row read), in one round trip. */
  async shelterWithPresent(tx: Tx, shelterId: string): Promise<(ShelterRow & { present: number }) | undefined> {
    const rows = await tx
      .select({
        s: shelter,
        present: sql<number>`coalesce((select o.present from shelter_occupancy o where o.shelter_id = "shelter"."id"), 0)`,
      })
      .from(shelter)
      .where(eq(shelter.id, shelterId));
    const r = rows[0];
    return r ? { ...r.s, present: Number(r.present) } : undefined;
  },

  /**
   * The check-in hot path's one read: the shelter, its present count, and how many stays the request's
   * key made already (a replay).
   */
  async shelterForCheckIn(tx: Tx, shelterId: string, host: string, requestKey: string, evacueeIds: string[] = []): Promise<(ShelterRow & { present: number; replayed: number; evacuees: EvacueeRow[] }) | undefined> {
    const rows = await tx
      .select({
        s: shelter,
        // The people asked for, as RLS lets the caller see them, in the same round trip.
        evacuees: evacueeIds.length
          ? sql<Record<string, unknown>[]>`(select coalesce(json_agg(e), '[]'::json) from evacuee e where e.id = any(${pgArray(evacueeIds, 'uuid')}))`
          : sql<Record<string, unknown>[]>`'[]'::json`,
        present: sql<number>`coalesce((select o.present from shelter_occupancy o where o.shelter_id = "shelter"."id"), 0)`,
        replayed: sql<number>`(select count(*)::int from ${shelterStay} where ${shelterStay.municipalityCode} = ${host} and ${shelterStay.requestKey} = ${requestKey})`,
      })
      .from(shelter)
      .where(eq(shelter.id, shelterId));
    const r = rows[0];
    if (!r) return undefined;
    const raw = typeof r.evacuees === 'string' ? (JSON.parse(r.evacuees) as Record<string, unknown>[]) : r.evacuees;
    return { ...r.s, present: Number(r.present), replayed: Number(r.replayed), evacuees: raw.map(evacueeFromJson) };
  },

  async shelter(tx: Tx, shelterId: string): Promise<ShelterRow | undefined> {
    return (await tx.select().from(shelter).where(eq(shelter.id, shelterId)))[0];
  },

  async sheltersByIds(tx: Tx, ids: string[]): Promise<ShelterRow[]> {
    if (ids.length === 0) return [];
    return tx.select().from(shelter).where(inArray(shelter.id, ids));
  },

  /**
   * Creates the stays and their check-in movements and announces the change, in one statement.
   * A key already used returns nothing for that row (the caller then reads the replay); an evacuee
   * with a live stay anywhere violates shelter_stay_live_uq (SQLSTATE 23505), which the caller maps.
   */
  async insertStays(tx: Tx, base: { host: string; shelterId: string | null; disasterId: string | null; place: StayPlace; channel: string; at: Date; actor: string; kind: MovementKind; requestKey: string }, stays: readonly NewStay[], notify: string | null): Promise<StayRow[]> {
    const { host, place, kind, ...rest } = base;
    return stayRepository.insertStayRows(tx, { host, place, kind }, stays.map((s) => ({ ...s, ...rest })), notify);
  },

  /**
   * insertStays for stays of several requests at once (a group commit of check-ins): each row brings
   * its own shelter, time, actor and request key.
   */
  async insertStayRows(tx: Tx, base: { host: string; place: StayPlace; kind: MovementKind }, stays: readonly StayInsert[], notify: string | null): Promise<StayRow[]> {
    if (stays.length === 0) return [];
    const col = <K extends keyof StayInsert>(k: K) => stays.map((s) => s[k]);
    const values: unknown[] = [
      col('evacueeId'), col('evacueeMunicipalityCode'), col('householdId'), col('sex'), col('language'), col('idempotencyKey'),
      col('shelterId'), col('disasterId'), col('channel'), stays.map((s) => s.at.toISOString()), col('actor'), col('requestKey'),
      needsJson(stays), base.host, base.place, base.kind,
    ];
    const rows = notify === null
      ? await preparedQuery(tx, 'kazashi_insert_stays', INSERT_STAYS_SQL, values)
      : await preparedQuery(tx, 'kazashi_insert_stays_notify', `${INSERT_STAYS_SQL}, pg_notify('${SHELTER_CHANNEL}', $17) as notified`, [...values, notify]);
    return rows.map(stayFromRow);
  },

  /**
   * Check-ins at one shelter take turns: each waits for the transactions already writing there, so the
   * count it then reads (its own statement, its own snapshot) includes everyone admitted before it and
   * a full shelter is noticed. In id order, so two batches never wait on each other in a circle.
   */
  async lockShelters(tx: Tx, shelterIds: string[]): Promise<void> {
    await preparedQuery(tx, 'kazashi_lock_shelters', 'select id from shelter where id = any($1::uuid[]) order by id for no key update', [shelterIds]);
  },

  /**
   * A group commit's one read: the shelters asked for with their present counts, which of the request
   * keys made stays already (replays), the people asked for by id as RLS lets the caller see them, and
   * which of everyone in the batch has a live stay already.
   */
  async checkInBatchRead(tx: Tx, host: string, shelterIds: string[], requestKeys: string[], evacueeIds: string[], everyone: string[]) {
    const rows = await preparedQuery<Record<string, unknown> & { present: number; replayed: string[]; evacuees: Record<string, unknown>[]; live: string[] }>(
      tx, 'kazashi_check_in_batch_read', CHECK_IN_BATCH_READ_SQL, [shelterIds, host, requestKeys, evacueeIds, everyone]);
    const json = <V>(v: V | string): V => (typeof v === 'string' ? (JSON.parse(v) as V) : v);
    const first = rows[0];
    return {
      shelters: new Map(rows.map((r) => [r.id as string, { ...fromDriverRow(shelter, r), present: Number(r.present) }])),
      replayed: new Set(first ? json(first.replayed) : []),
      evacuees: new Map((first ? json(first.evacuees) : []).map(evacueeFromJson).map((e) => [e.id, e])),
      live: new Set(first ? json(first.live) : []),
    };
  },

  async staysByRequestKey(tx: Tx, host: string, requestKey: string): Promise<StayRow[]> {
    return tx.select().from(shelterStay).where(and(eq(shelterStay.municipalityCode, host), eq(shelterStay.requestKey, requestKey)));
  },

  async staysByKeys(tx: Tx, host: string, keys: string[]): Promise<StayRow[]> {
    if (keys.length === 0) return [];
    return tx.select().from(shelterStay).where(and(eq(shelterStay.municipalityCode, host), inArray(shelterStay.idempotencyKey, keys)));
  },

  /** The live stay (in / out) of each evacuee, as RLS lets the caller see it. */
  async liveStaysOf(tx: Tx, evacueeIds: string[]): Promise<StayRow[]> {
    if (evacueeIds.length === 0) return [];
    return tx.select().from(shelterStay).where(and(inArray(shelterStay.evacueeId, evacueeIds), inArray(shelterStay.status, ['in', 'out'])));
  },

  async stay(tx: Tx, stayId: string): Promise<StayRow | undefined> {
    return (await tx.select().from(shelterStay).where(eq(shelterStay.id, stayId)))[0];
  },

  async setStatus(tx: Tx, stayId: string, status: StayRow['status'], endedAt: Date | null): Promise<StayRow> {
    const [row] = await tx.update(shelterStay).set({ status, endedAt }).where(eq(shelterStay.id, stayId)).returning();
    return row!;
  },

  async insertMovement(tx: Tx, m: typeof stayMovement.$inferInsert): Promise<MovementRow | undefined> {
    return (await tx.insert(stayMovement).values(m).onConflictDoNothing({ target: [stayMovement.municipalityCode, stayMovement.idempotencyKey] }).returning())[0];
  },

  async movementByKey(tx: Tx, host: string, key: string): Promise<MovementRow | undefined> {
    return (await tx.select().from(stayMovement).where(and(eq(stayMovement.municipalityCode, host), eq(stayMovement.idempotencyKey, key))))[0];
  },

  async movements(tx: Tx, stayId: string): Promise<MovementRow[]> {
    return tx.select().from(stayMovement).where(eq(stayMovement.stayId, stayId)).orderBy(asc(stayMovement.at), asc(stayMovement.id));
  },

  /** Live stays of a shelter (the roster), newest first. */
  async roster(tx: Tx, shelterId: string, statuses: StayRow['status'][]): Promise<StayRow[]> {
    return tx.select().from(shelterStay)
      .where(and(eq(shelterStay.shelterId, shelterId), inArray(shelterStay.status, statuses)))
      .orderBy(desc(shelterStay.checkedInAt));
  },

  async evacueesByIds(tx: Tx, ids: string[]) {
    if (ids.length === 0) return [];
    return tx.select().from(evacuee).where(inArray(evacuee.id, ids));
  },

  /** The live outside-shelter stay reported by a resident for themself. */
  async liveOutsideStay(tx: Tx, evacueeId: string): Promise<StayRow | undefined> {
    return (await tx.select().from(shelterStay)
      .where(and(eq(shelterStay.evacueeId, evacueeId), inArray(shelterStay.status, ['in', 'out']))))[0];
  },
};

/** An evacuee row from json_agg (snake_case keys, timestamps as strings). */
function evacueeFromJson(r: Record<string, unknown>): EvacueeRow {
  const d = (v: unknown) => (v == null ? null : new Date(v as string));
  return {
    id: r.id as string, municipalityCode: r.municipality_code as string, householdId: r.household_id as string,
    residentId: (r.resident_id as string | null) ?? null, isResident: r.is_resident as boolean, source: r.source as EvacueeRow['source'],
    cardKey: (r.card_key as string | null) ?? null, intakeCode: (r.intake_code as string | null) ?? null,
    needs: (r.needs as string[]) ?? [], language: (r.language as string | null) ?? null, sex: (r.sex as string | null) ?? null,
    consentInquiry: r.consent_inquiry as boolean, consentJointUse: r.consent_joint_use as boolean, dvProtected: r.dv_protected as boolean,
    searchKeys: (r.search_keys as string[]) ?? [], createdAt: d(r.created_at)!, updatedAt: d(r.updated_at)!, removedAt: d(r.removed_at),
  };
}

/** A raw row (snake_case, from tx.execute) as the typed row. */
function stayFromRow(r: Record<string, unknown>): StayRow {
  return {
    id: r.id as string,
    municipalityCode: r.municipality_code as string,
    evacueeMunicipalityCode: r.evacuee_municipality_code as string,
    evacueeId: r.evacuee_id as string,
    householdId: r.household_id as string,
    disasterId: (r.disaster_id as string | null) ?? null,
    place: r.place as StayRow['place'],
    shelterId: (r.shelter_id as string | null) ?? null,
    status: r.status as StayRow['status'],
    channel: r.channel as StayRow['channel'],
    needs: (r.needs as string[]) ?? [],
    sex: (r.sex as string | null) ?? null,
    language: (r.language as string | null) ?? null,
    idempotencyKey: r.idempotency_key as string,
    requestKey: (r.request_key as string | null) ?? null,
    checkedInAt: new Date(r.checked_in_at as string),
    endedAt: r.ended_at ? new Date(r.ended_at as string) : null,
    createdBy: r.created_by as string,
  };
}

/** What the stay services need from storage (a fake in unit tests, this repository otherwise). */
export type StayRepository = typeof stayRepository;

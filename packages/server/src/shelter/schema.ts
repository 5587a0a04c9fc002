import { sql } from 'drizzle-orm';
import { bigserial, boolean, char, index, integer, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { municipality } from '../municipality/index.js';

/**
 * The eight hazards of the 指定緊急避難場所 designation, in the open-data column order:
 * 洪水, 崖崩れ、土石流及び地滑り, 高潮, 地震, 津波, 大規模な火事, 内水氾濫, 火山現象.
 */
export const HAZARDS = ['flood', 'landslide', 'storm_surge', 'earthquake', 'tsunami', 'fire', 'inland_flood', 'volcano'] as const;
export type Hazard = (typeof HAZARDS)[number];

export const SHELTER_KINDS = ['general', 'welfare'] as const;
/** Operational status words used by municipalities: 開設 / 満員 / 閉鎖 / 開設要請. */
export const SHELTER_STATUSES = ['closed', 'open', 'full', 'requested'] as const;
export type ShelterStatus = (typeof SHELTER_STATUSES)[number];

/**
 * A designated shelter (指定緊急避難場所 / 指定避難所) of a municipality, as in the municipal standard
 * open data set, plus its operational state: the disaster it is open for and its status.
 */
export const shelter = pgTable(
  'shelter',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityCode: char('municipality_code', { length: 6 }).notNull().references(() => municipality.code),
    /** The open-data "ID" column: the municipality's own identifier, unique within it. */
    localId: text('local_id').notNull(),
    /** Optional 14-character national shelter ID (Cabinet Office disaster information system). */
    nationalId: char('national_id', { length: 14 }),
    nameJa: text('name_ja').notNull(),
    nameKana: text('name_kana').notNull().default(''),
    nameEn: text('name_en').notNull().default(''),
    address: text('address').notNull().default(''),
    // Decimal strings, exactly as published (numeric keeps '35.4040' as written, so CSV round-trips).
    latitude: numeric('latitude'),
    longitude: numeric('longitude'),
    /** 標高 in metres. */
    elevation: numeric('elevation'),
    phone: text('phone').notNull().default(''),
    hazards: text('hazards').array().notNull().default([]),
    /** 指定避難所との重複: also a designated evacuation centre where people stay. */
    alsoEvacuationCentre: boolean('also_evacuation_centre').notNull().default(false),
    kind: text('kind', { enum: SHELTER_KINDS }).notNull().default('general'),
    /** 想定収容人数 (day); night capacity is often smaller (sleeping space). */
    capacity: integer('capacity'),
    capacityNight: integer('capacity_night'),
    /** 対象となる町会・自治会 */
    targetArea: text('target_area').notNull().default(''),
    url: text('url').notNull().default(''),
    note: text('note').notNull().default(''),
    status: text('status', { enum: SHELTER_STATUSES }).notNull().default('closed'),
    /** The disaster the shelter is open (or requested) for; null when closed. */
    disasterId: uuid('disaster_id'),
    statusChangedAt: timestamp('status_changed_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('shelter_local_id_uq').on(t.municipalityCode, t.localId),
    uniqueIndex('shelter_national_id_uq').on(t.nationalId),
    index('shelter_status_idx').on(t.municipalityCode, t.status),
  ],
);

export const DISASTER_KINDS = ['earthquake', 'tsunami', 'flood', 'inland_flood', 'storm_surge', 'landslide', 'fire', 'volcano', 'other'] as const;

/** A disaster HQ (災害対策本部) declared: the frame in which shelters open and stays are counted. */
export const disaster = pgTable(
  'disaster',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityCode: char('municipality_code', { length: 6 }).notNull().references(() => municipality.code),
    kind: text('kind', { enum: DISASTER_KINDS }).notNull(),
    nameJa: text('name_ja').notNull(),
    nameEn: text('name_en').notNull().default(''),
    /** The affected area as HQ wrote it (districts, rivers). */
    area: text('area').notNull().default(''),
    declaredAt: timestamp('declared_at', { withTimezone: true }).notNull().defaultNow(),
    declaredBy: text('declared_by').notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [index('disaster_active_idx').on(t.municipalityCode).where(sql`ended_at IS NULL`)],
);

/** Every status change of a shelter, per disaster: the opening history HQ reports afterwards. */
export const shelterStatusEvent = pgTable(
  'shelter_status_event',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    municipalityCode: char('municipality_code', { length: 6 }).notNull().references(() => municipality.code),
    shelterId: uuid('shelter_id').notNull().references(() => shelter.id),
    disasterId: uuid('disaster_id'),
    status: text('status', { enum: SHELTER_STATUSES }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actor: text('actor').notNull(),
  },
  (t) => [index('shelter_status_event_idx').on(t.shelterId, t.at)],
);

/**
 * Coarse needs flags, kept beside the pseudonymous evacuee so shelters and HQ can count and plan
 * (meals, care staff, supplies) without reading the vault. What the allergy is, which medicine,
 * which care: only in the vault.
 */
export const NEEDS = ['allergy', 'medication', 'care', 'disability', 'pregnancy', 'infant', 'pet'] as const;
export type Need = (typeof NEEDS)[number];
/** registered-resident: a registered resident who had not pre-registered, known from their bound card. */
export const EVACUEE_SOURCES = ['pre-registration', 'registered-resident', 'card-walk-in', 'staff-entry', 'qr-intake'] as const;

/**
 * A person a shelter may receive: a pre-registered resident or household member (事前登録), or
 * someone registered on the spot. Pseudonymous: name, birth date, phone and needs details are in the
 * vault of `municipality_code` (the municipality that registered them), under this id. For a
 * pre-registered resident themself the id IS the resident id, so vault reads show in their access log.
 */
export const evacuee = pgTable(
  'evacuee',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityCode: char('municipality_code', { length: 6 }).notNull().references(() => municipality.code),
    householdId: uuid('household_id').notNull(),
    /** The registered resident this record belongs to (the household's card holder), if any. */
    residentId: uuid('resident_id'),
    /** True for the card holder's own record (id = resident id). */
    isResident: boolean('is_resident').notNull().default(false),
    source: text('source', { enum: EVACUEE_SOURCES }).notNull(),
    /** A walk-in's card (hash of issuer and serial), so the same card is recognised at the next touch. */
    cardKey: text('card_key'),
    /** A pre-printed blank QR intake card (受付カード) handed to someone without a card. */
    intakeCode: text('intake_code'),
    needs: text('needs').array().notNull().default([]),
    /** Preferred language (BCP 47), for interpreters and notices. */
    language: text('language'),
    /** male | female | other | null: counted per shelter (sleeping areas, changing rooms). */
    sex: text('sex'),
    /** Consent to tell inquiring relatives where they are (安否情報の提供). */
    consentInquiry: boolean('consent_inquiry').notNull().default(false),
    /** Consent to share their record with joint-use municipalities' shelters. */
    consentJointUse: boolean('consent_joint_use').notNull().default(false),
    /** DV and stalking protection (支援措置): never disclosed by any search, whatever the consents. */
    dvProtected: boolean('dv_protected').notNull().default(false),
    /** Keyed hashes of normalised name + birth date for safety search; never the name itself. */
    searchKeys: text('search_keys').array().notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [
    index('evacuee_household_idx').on(t.householdId),
    index('evacuee_resident_idx').on(t.municipalityCode, t.residentId),
    uniqueIndex('evacuee_card_uq').on(t.municipalityCode, t.cardKey),
    uniqueIndex('evacuee_intake_uq').on(t.municipalityCode, t.intakeCode),
    index('evacuee_search_idx').using('gin', t.searchKeys),
  ],
);

export const STAY_PLACES = ['shelter', 'home', 'car', 'tent', 'other'] as const;
export type StayPlace = (typeof STAY_PLACES)[number];
/** in = 在所, out = 一時外出, moved = 他避難所へ移動, left = 退所. */
export const STAY_STATUSES = ['in', 'out', 'moved', 'left'] as const;
export type StayStatus = (typeof STAY_STATUSES)[number];
export const STAY_CHANNELS = ['card-touch', 'card-pin', 'card-walk-in', 'qr', 'staff', 'portal', 'offline'] as const;

/**
 * One evacuee's stay during a disaster: in a shelter (hosted by the shelter's municipality, which may
 * not be the evacuee's own under joint use) or outside one (home, car, tent), reported by the resident.
 * At most one live stay (in / out) per evacuee, whichever municipality hosts it.
 */
export const shelterStay = pgTable(
  'shelter_stay',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // No foreign keys to municipality or shelter on the two hot tables: every concurrent check-in would
    // take a KEY SHARE lock on the same few parent rows (MultiXact churn at hundreds a second). Those
    // rows are never deleted, RLS pins municipality_code to the acting tenant, and the service checks the shelter.
    /** The host: the shelter's municipality (or, outside shelters, the evacuee's own). */
    municipalityCode: char('municipality_code', { length: 6 }).notNull(),
    /** The evacuee's own municipality (whose vault holds them). */
    evacueeMunicipalityCode: char('evacuee_municipality_code', { length: 6 }).notNull(),
    evacueeId: uuid('evacuee_id').notNull().references(() => evacuee.id),
    householdId: uuid('household_id').notNull(),
    disasterId: uuid('disaster_id'),
    place: text('place', { enum: STAY_PLACES }).notNull().default('shelter'),
    shelterId: uuid('shelter_id'),
    status: text('status', { enum: STAY_STATUSES }).notNull().default('in'),
    channel: text('channel', { enum: STAY_CHANNELS }).notNull(),
    // Copies of the evacuee's coarse flags, kept in step by the service, so a shelter's and HQ's
    // counts are one scan of live stays (no join, no cross-tenant read).
    needs: text('needs').array().notNull().default([]),
    sex: text('sex'),
    language: text('language'),
    /** Client-generated key (the kiosk's offline queue): a retried check-in never makes a second stay. */
    idempotencyKey: text('idempotency_key').notNull(),
    /** The client's key of the whole request (a household checks in with one key; one stay each). */
    requestKey: text('request_key'),
    checkedInAt: timestamp('checked_in_at', { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    createdBy: text('created_by').notNull(),
  },
  (t) => [
    uniqueIndex('shelter_stay_idempotency_uq').on(t.municipalityCode, t.idempotencyKey),
    index('shelter_stay_request_idx').on(t.municipalityCode, t.requestKey),
    uniqueIndex('shelter_stay_live_uq').on(t.evacueeId).where(sql`status IN ('in', 'out')`),
    index('shelter_stay_shelter_idx').on(t.shelterId).where(sql`status IN ('in', 'out')`),
    index('shelter_stay_home_idx').on(t.evacueeMunicipalityCode).where(sql`status IN ('in', 'out')`),
    index('shelter_stay_place_idx').on(t.municipalityCode, t.place).where(sql`status IN ('in', 'out')`),
  ],
);

export const MOVEMENT_KINDS = ['check-in', 'out', 'back', 'transfer', 'check-out', 'report'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

/** Every change of a stay, in order: the movement history (入退所履歴). */
export const stayMovement = pgTable(
  'stay_movement',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    municipalityCode: char('municipality_code', { length: 6 }).notNull(),
    evacueeMunicipalityCode: char('evacuee_municipality_code', { length: 6 }).notNull(),
    stayId: uuid('stay_id').notNull().references(() => shelterStay.id),
    kind: text('kind', { enum: MOVEMENT_KINDS }).notNull(),
    shelterId: uuid('shelter_id'),
    /** For a transfer: the shelter moved to. */
    toShelterId: uuid('to_shelter_id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actor: text('actor').notNull(),
    idempotencyKey: text('idempotency_key'),
  },
  (t) => [
    index('stay_movement_stay_idx').on(t.stayId, t.at),
    uniqueIndex('stay_movement_idempotency_uq').on(t.municipalityCode, t.idempotencyKey),
  ],
);

export const SUPPLY_ORDER_STATUSES = ['requested', 'ordered', 'shipped', 'received', 'cancelled'] as const;

/** A shelter's request for an item of the supply catalogue (物資要請), tracked to delivery. */
export const supplyRequest = pgTable(
  'supply_request',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityCode: char('municipality_code', { length: 6 }).notNull().references(() => municipality.code),
    shelterId: uuid('shelter_id').notNull().references(() => shelter.id),
    disasterId: uuid('disaster_id'),
    itemCode: text('item_code').notNull(),
    needed: integer('needed').notNull(),
    inStock: integer('in_stock').notNull().default(0),
    /** ok = 充足, short = 不足 (as the shelter reports it). */
    stockStatus: text('stock_status', { enum: ['ok', 'short'] }).notNull(),
    status: text('status', { enum: SUPPLY_ORDER_STATUSES }).notNull().default('requested'),
    note: text('note').notNull().default(''),
    idempotencyKey: text('idempotency_key').notNull(),
    requestedBy: text('requested_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    orderedAt: timestamp('ordered_at', { withTimezone: true }),
    shippedAt: timestamp('shipped_at', { withTimezone: true }),
    receivedAt: timestamp('received_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('supply_request_idempotency_uq').on(t.municipalityCode, t.idempotencyKey),
    index('supply_request_shelter_idx').on(t.shelterId, t.createdAt),
  ],
);

// The JSON shapes of the shelter API, written once: route schemas (validation, serialization, the
// OpenAPI document the web client's types are generated from) and the server's own types.
import { Localized, Nullable, Strict, StringEnum, Timestamp, Type, Uuid, type Static } from '../kernel/http/contract.js';
import { uuidSchema } from '../kernel/http/schemas.js';
import { DISASTER_KINDS, HAZARDS, MOVEMENT_KINDS, NEEDS, SHELTER_KINDS, SHELTER_STATUSES, STAY_CHANNELS, STAY_PLACES, STAY_STATUSES, SUPPLY_ORDER_STATUSES } from './schema.js';

export { Localized };

export const Hazard = StringEnum(HAZARDS);
export type Hazard = Static<typeof Hazard>;
export const ShelterKind = StringEnum(SHELTER_KINDS);
export type ShelterKind = Static<typeof ShelterKind>;
export const ShelterStatus = StringEnum(SHELTER_STATUSES);
export type ShelterStatus = Static<typeof ShelterStatus>;
export const DisasterKind = StringEnum(DISASTER_KINDS);
export type DisasterKind = Static<typeof DisasterKind>;
export const Need = StringEnum(NEEDS);
export type Need = Static<typeof Need>;
export const StayPlace = StringEnum(STAY_PLACES);
export type StayPlace = Static<typeof StayPlace>;
export const OUTSIDE_PLACES = ['home', 'car', 'tent', 'other'] as const;
export const OutsidePlace = StringEnum(OUTSIDE_PLACES);
export const StayStatus = StringEnum(STAY_STATUSES);
export type StayStatus = Static<typeof StayStatus>;
export const StayChannel = StringEnum(STAY_CHANNELS);
export type StayChannel = Static<typeof StayChannel>;
export const MovementKind = StringEnum(MOVEMENT_KINDS);
export type MovementKind = Static<typeof MovementKind>;
export const SEXES = ['male', 'female', 'other'] as const;
export const Sex = StringEnum(SEXES);
export type Sex = Static<typeof Sex>;
export const SupplyOrderStatus = StringEnum(SUPPLY_ORDER_STATUSES);
export type SupplyOrderStatus = Static<typeof SupplyOrderStatus>;

const str = Type.String();
const nullableStr = Nullable(Type.String());
const count = Type.Integer({ minimum: 0 });

/** A shelter as the registry holds it (open data + operational status). */
export const ShelterView = Type.Object({
  id: str, municipalityCode: str, localId: str, nationalId: nullableStr,
  nameJa: str, nameKana: str, nameEn: str, address: str,
  latitude: Nullable(Type.String(), { description: 'Decimal degrees as published, e.g. "35.4040"; null when unknown' }),
  longitude: nullableStr, elevation: nullableStr, phone: str, hazards: Type.Array(Hazard), alsoEvacuationCentre: Type.Boolean(),
  kind: ShelterKind, capacity: Nullable(Type.Integer()), capacityNight: Nullable(Type.Integer()), targetArea: str, url: str, note: str,
  status: ShelterStatus, disasterId: nullableStr, statusChangedAt: Timestamp(),
});
export type ShelterView = Static<typeof ShelterView>;

export const DisasterView = Type.Object({
  id: str, municipalityCode: str, kind: DisasterKind, nameJa: str, nameEn: str, area: str, declaredAt: Timestamp(), declaredBy: str, endedAt: Nullable(Timestamp()),
});
export type DisasterView = Static<typeof DisasterView>;

export const ShelterStatusEventView = Type.Object({ shelterId: str, disasterId: nullableStr, status: ShelterStatus, at: Timestamp(), actor: str });
export type ShelterStatusEventView = Static<typeof ShelterStatusEventView>;

/** Needs totals: how many live stays carry each flag. */
export const NeedCounts = Type.Object(Object.fromEntries(NEEDS.map((n) => [n, count])) as Record<Need, typeof count>);
export type NeedCounts = Static<typeof NeedCounts>;

/** Live counts of one shelter: the HQ dashboard row. */
export const ShelterSummary = Type.Object({
  shelterId: str, municipalityCode: str, nameJa: str, nameEn: str, latitude: nullableStr, longitude: nullableStr,
  kind: ShelterKind, status: ShelterStatus, disasterId: nullableStr, capacity: Nullable(Type.Integer()),
  present: Type.Integer({ description: 'People with status in (在所)' }),
  out: Type.Integer({ description: "People with status out (一時外出): still counted as the shelter's evacuees" }),
  households: count, male: count, female: count,
  fromOtherMunicipalities: Type.Integer({ description: 'Of the present and out, residents of other municipalities (joint use)' }),
  needs: NeedCounts,
  languages: Type.Record(Type.String(), Type.Integer(), { description: 'language code → count, for languages other than Japanese' }),
  occupancyRate: Nullable(Type.Number(), { description: 'present / capacity, 0..n (null when capacity unknown)' }),
  updatedAt: Timestamp(),
});
export type ShelterSummary = Static<typeof ShelterSummary>;

/** The HQ dashboard (GET /api/municipalities/:code/hq/overview). */
export const HqOverview = Type.Object({
  municipalityCode: str,
  disasters: Type.Array(DisasterView),
  shelters: Type.Array(ShelterSummary, { description: 'Every shelter of the municipality that is not closed (open, full, requested), with live counts' }),
  outside: Type.Object({ home: count, car: count, tent: count, other: count }, { description: "People outside shelters reported for this municipality's residents, by place" }),
  residentsElsewhere: Type.Array(Type.Object({ municipalityCode: str, shelterId: str, nameJa: str, nameEn: str, count }), { description: "This municipality's residents staying in partners' shelters (joint use)" }),
  totals: Type.Object({ present: count, out: count, households: count, shelters: count, capacity: count }),
  generatedAt: Timestamp(),
});
export type HqOverview = Static<typeof HqOverview>;

export const CONGESTION = ['empty', 'some', 'crowded', 'full', 'unknown'] as const;
/** Public congestion page: no personal data, no needs. */
export const PublicShelterView = Type.Object({
  id: str, nameJa: str, nameEn: str, address: str, latitude: nullableStr, longitude: nullableStr, kind: ShelterKind, hazards: Type.Array(Hazard),
  status: ShelterStatus, capacity: Nullable(Type.Integer()), present: count,
  congestion: StringEnum(CONGESTION, { description: 'empty < 50 % ≤ some < 80 % ≤ crowded < 100 % ≤ full; unknown without capacity' }),
  updatedAt: Timestamp(),
});
export type PublicShelterView = Static<typeof PublicShelterView>;

export const StayView = Type.Object({
  stayId: str, municipalityCode: str, evacueeId: str, evacueeMunicipalityCode: str, householdId: str, disasterId: nullableStr,
  place: StayPlace, shelterId: nullableStr,
  shelterNameJa: Nullable(Type.String(), { description: "Null when the shelter is another municipality's and not visible" }), shelterNameEn: nullableStr,
  status: StayStatus, channel: StayChannel, needs: Type.Array(Need), checkedInAt: Timestamp(), endedAt: Nullable(Timestamp()),
});
export type StayView = Static<typeof StayView>;

const evacueeFields = {
  evacueeId: str, municipalityCode: str, householdId: str,
  nameKanji: Nullable(Type.String(), { description: "Null when the person's municipality may not share it with this one (no joint-use consent)" }),
  nameKana: nullableStr,
  isResident: Type.Boolean({ description: 'Whether the card holder themself (vs a household member)' }),
  needs: Type.Array(Need), language: nullableStr, sex: Nullable(Sex),
};
/** One person of a household as a shelter kiosk shows them. */
export const EvacueeView = Type.Object({ ...evacueeFields, stay: Nullable(StayView, { description: 'The live stay, if any (in this or another shelter)' }) });
export type EvacueeView = Static<typeof EvacueeView>;

/** GET /api/municipalities/:code/shelters/:shelterId/roster */
export const RosterEntry = Type.Object({ ...evacueeFields, stay: StayView });
export type RosterEntry = Static<typeof RosterEntry>;

/** The answer to a card touch at a shelter kiosk: who the card is and their household. */
export const TouchResult = Type.Object({
  homeMunicipalityCode: str, homeMunicipalityName: Localized,
  detailsShared: Type.Boolean({ description: 'False when the person is from a partner municipality and did not consent to sharing details' }),
  household: Type.Array(EvacueeView),
});
export type TouchResult = Static<typeof TouchResult>;

const keySchema = Type.String({ minLength: 8, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$', description: 'Client-generated idempotency key (UUID recommended): a retry with the same key returns the first answer' });
export const certificateSchema = Type.String({ minLength: 100, maxLength: 8192, description: 'Card authentication certificate, base64 DER' });
const needsInput = Type.Array(Need, { maxItems: NEEDS.length, uniqueItems: true });

export const WalkInInput = Strict({
  source: StringEnum(['card-walk-in', 'staff-entry', 'qr-intake'] as const),
  nameKanji: Type.String({ minLength: 1, maxLength: 100 }), nameKana: Type.Optional(Type.String({ maxLength: 100 })),
  birthDate: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })), sex: Type.Optional(Sex),
  address: Type.Optional(Type.String({ maxLength: 300 })), phone: Type.Optional(Type.String({ maxLength: 30 })), needs: Type.Optional(needsInput),
  language: Type.Optional(Type.String({ maxLength: 35 })), notes: Type.Optional(Type.String({ maxLength: 1000 })), consentInquiry: Type.Optional(Type.Boolean()),
  certificate: Type.Optional(Type.Unsafe<string>({ ...certificateSchema, description: "card-walk-in: the card's authentication certificate, so the next touch recognises the card" })),
  intakeCode: Type.Optional(Type.String({ minLength: 4, maxLength: 64, description: 'qr-intake: the code printed on a blank intake card' })),
  householdId: Type.Optional(Type.Unsafe<string>({ ...uuidSchema, description: 'Join a household this municipality registered (a walk-in family checked in one by one)' })),
});
export type WalkInInput = Static<typeof WalkInInput>;

/** POST /api/municipalities/:code/shelters/:shelterId/stays: exactly one of evacueeIds, certificate, qrToken, walkIn (evacueeIds may narrow a card's household). */
export const CheckInRequest = Strict({
  idempotencyKey: keySchema,
  at: Type.Optional(Type.String({ format: 'date-time', description: 'When the kiosk recorded it (offline queue); defaults to now. Not before 7 days ago, not in the future' })),
  acceptFull: Type.Optional(Type.Boolean({ description: 'Accept although the shelter is full (staff decision)' })),
  evacueeIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 30, uniqueItems: true })),
  certificate: Type.Optional(Type.Unsafe<string>({ ...certificateSchema, description: 'A card read (offline too): the holder is checked in' })),
  qrToken: Type.Optional(Type.String({ minLength: 4, maxLength: 512, description: "A personal QR token (from the resident's phone), a static QR card's token, or a blank intake card's code" })),
  walkIn: Type.Optional(WalkInInput),
  channel: Type.Optional(StayChannel),
});
export type CheckInRequest = Static<typeof CheckInRequest>;

export const CheckInResult = Type.Object({
  created: Type.Boolean({ description: 'True when this request created the stays; false when it replayed an earlier one with the same key' }),
  stays: Type.Array(StayView),
  acceptedOverCapacity: Type.Boolean({ description: 'Set when the shelter was full and acceptFull was given' }),
});
export type CheckInResult = Static<typeof CheckInResult>;

/** POST /api/municipalities/:code/stays/:stayId/movements */
export const MovementRequest = Strict({
  idempotencyKey: keySchema,
  kind: StringEnum(['out', 'back', 'check-out', 'transfer'] as const),
  toShelterId: Type.Optional(Type.Unsafe<string>({ ...uuidSchema, description: 'transfer: the shelter (of this municipality) they move to' })),
  at: Type.Optional(Type.String({ format: 'date-time' })),
});
export type MovementRequest = Static<typeof MovementRequest>;

export const MovementView = Type.Object({ stayId: str, kind: MovementKind, shelterId: nullableStr, toShelterId: nullableStr, at: Timestamp(), actor: str });
export type MovementView = Static<typeof MovementView>;

const dateInput = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10 });
const text = (max: number) => Type.String({ maxLength: max });
const memberInputFields = {
  evacueeId: Type.Optional(Type.Unsafe<string>({ ...uuidSchema, description: 'Present for existing members; omitted for new ones' })),
  self: Type.Boolean({ description: 'The card holder themself (the first member when none says so)' }),
  nameKanji: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }), nameKana: text(100), birthDate: dateInput,
  sex: StringEnum(['male', 'female', 'other', ''] as const),
  allergies: text(500), medication: text(500), care: text(500), disability: text(500),
  pregnancy: Type.Boolean(), infant: Type.Boolean(), language: text(35), notes: text(1000),
};
export const PreRegisteredMemberInput = Strict(memberInputFields);
/** A member as stored (older records may lack a name or birth date). */
export const PreRegisteredMember = Type.Object({ ...memberInputFields, evacueeId: Type.Optional(Type.String()), nameKanji: Type.String(), birthDate: Type.String() });
export type PreRegisteredMember = Static<typeof PreRegisteredMember>;

const preRegistrationFields = {
  phone: text(30), pets: text(300),
  consentInquiry: Type.Boolean({ description: 'Consent to tell inquiring relatives (every member registered here)' }),
  consentJointUse: Type.Boolean({ description: "Consent to share with joint-use municipalities' shelters" }),
};
/** PUT /api/resident/me/shelter-registration */
export const PreRegistrationInput = Strict({ ...preRegistrationFields, members: Type.Array(PreRegisteredMemberInput, { minItems: 1, maxItems: 20 }), updatedAt: Type.Optional(text(40)) });
/** Pre-registration (事前登録) on the resident portal: GET/PUT /api/resident/me/shelter-registration */
export const PreRegistration = Type.Object({ ...preRegistrationFields, members: Type.Array(PreRegisteredMember), updatedAt: Type.Optional(Timestamp()) });
export type PreRegistration = Static<typeof PreRegistration>;

/** One evacuee for shelter staff, with vault details when the person is this municipality's (audited). */
export const EvacueeDetailView = Type.Object({
  ...evacueeFields,
  consentInquiry: Type.Boolean(), consentJointUse: Type.Boolean(), dvProtected: Type.Boolean(), source: str,
  stay: Nullable(Type.Object({ stayId: str, municipalityCode: str, place: StayPlace, shelterId: nullableStr, shelterNameJa: nullableStr, shelterNameEn: nullableStr, status: str, checkedInAt: Timestamp() })),
  details: Nullable(Type.Record(Type.String(), Type.String()), { description: "Vault details (category `evacuee`); null when the person belongs to a partner municipality" }),
});
export type EvacueeDetailView = Static<typeof EvacueeDetailView>;

/** Staff corrections: needs, language, consent, notes; DV protection only with shelter:command. */
export const EvacueePatch = Strict({
  needs: Type.Optional(needsInput), language: Type.Optional(Nullable(Type.String({ maxLength: 35 }))), consentInquiry: Type.Optional(Type.Boolean()),
  notes: Type.Optional(text(1000)), dvProtected: Type.Optional(Type.Boolean()),
}, { minProperties: 1 });
export type EvacueePatch = Static<typeof EvacueePatch>;

/** Resident-reported stay outside shelters: POST /api/resident/me/outside-stay */
export const OutsideStayInput = Strict({
  idempotencyKey: keySchema, place: OutsidePlace,
  carPlate: Type.Optional(Type.String({ maxLength: 40 })), carModel: Type.Optional(Type.String({ maxLength: 60 })), note: Type.Optional(Type.String({ maxLength: 500 })),
});
export type OutsideStayInput = Static<typeof OutsideStayInput>;

/** POST /api/resident/me/safety-search */
export const SafetySearchRequest = Strict({ name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }), birthDate: dateInput });
export type SafetySearchRequest = Static<typeof SafetySearchRequest>;
export const SafetySearchResult = Type.Object({
  found: Type.Array(Type.Object({ municipalityCode: str, municipalityName: Localized, place: StayPlace, shelterName: Nullable(Localized), since: Timestamp() }), {
    description: 'Empty when not found, not consented, or protected: the three are indistinguishable by design',
  }),
  remaining: count,
});
export type SafetySearchResult = Static<typeof SafetySearchResult>;

export const SupplyItem = Type.Object({
  code: str, nameJa: str, nameEn: str, unitJa: str, unitEn: str,
  perPersonPerDay: Nullable(Type.Number(), { description: 'Per present person per day (demand estimate); null when not estimated per person' }),
  forNeed: Nullable(Need, { description: 'Estimated only for people with this need (e.g. infant → diapers)' }),
});
export type SupplyItem = Static<typeof SupplyItem>;

export const SupplyRequestView = Type.Object({
  id: str, shelterId: str, shelterNameJa: str, shelterNameEn: str, disasterId: nullableStr, itemCode: str, needed: count, inStock: count,
  stockStatus: StringEnum(['ok', 'short'] as const), status: SupplyOrderStatus, note: str, requestedBy: str, createdAt: Timestamp(), updatedAt: Timestamp(),
  orderedAt: Nullable(Timestamp()), shippedAt: Nullable(Timestamp()), receivedAt: Nullable(Timestamp()),
});
export type SupplyRequestView = Static<typeof SupplyRequestView>;

/** GET /api/municipalities/:code/supplies/estimate: demand from occupancy, per shelter and item, for `days`. */
export const SupplyEstimate = Type.Object({
  days: count,
  rows: Type.Array(Type.Object({ shelterId: str, itemCode: str, present: count, estimated: count, requested: count })),
});
export type SupplyEstimate = Static<typeof SupplyEstimate>;

export const CsvImportReport = Type.Object({
  created: count, updated: count, unchanged: count,
  errors: Type.Array(Type.Object({ row: Type.Integer({ description: '1-based as a spreadsheet shows it (header = row 1)' }), column: str, message: Localized })),
  dryRun: Type.Boolean(),
});
export type CsvImportReport = Static<typeof CsvImportReport>;

// The JSON shapes of the shelter API. packages/web/src/api/shelterTypes.ts is a copy of this file:
// change both together.

export type Hazard = 'flood' | 'landslide' | 'storm_surge' | 'earthquake' | 'tsunami' | 'fire' | 'inland_flood' | 'volcano';
export type ShelterKind = 'general' | 'welfare';
export type ShelterStatus = 'closed' | 'open' | 'full' | 'requested';
export type DisasterKind = 'earthquake' | 'tsunami' | 'flood' | 'inland_flood' | 'storm_surge' | 'landslide' | 'fire' | 'volcano' | 'other';
export type Need = 'allergy' | 'medication' | 'care' | 'disability' | 'pregnancy' | 'infant' | 'pet';
export type StayPlace = 'shelter' | 'home' | 'car' | 'tent' | 'other';
export type StayStatus = 'in' | 'out' | 'moved' | 'left';
export type StayChannel = 'card-touch' | 'card-pin' | 'card-walk-in' | 'qr' | 'staff' | 'portal' | 'offline';
export type MovementKind = 'check-in' | 'out' | 'back' | 'transfer' | 'check-out' | 'report';
export type Sex = 'male' | 'female' | 'other';
export interface Localized { ja: string; en: string }

/** A shelter as the registry holds it (open data + operational status). */
export interface ShelterView {
  id: string;
  municipalityCode: string;
  localId: string;
  nationalId: string | null;
  nameJa: string;
  nameKana: string;
  nameEn: string;
  address: string;
  /** Decimal strings as published, e.g. "35.4040"; null when unknown. */
  latitude: string | null;
  longitude: string | null;
  elevation: string | null;
  phone: string;
  hazards: Hazard[];
  alsoEvacuationCentre: boolean;
  kind: ShelterKind;
  capacity: number | null;
  capacityNight: number | null;
  targetArea: string;
  url: string;
  note: string;
  status: ShelterStatus;
  disasterId: string | null;
  statusChangedAt: string;
}

export interface DisasterView {
  id: string;
  municipalityCode: string;
  kind: DisasterKind;
  nameJa: string;
  nameEn: string;
  area: string;
  declaredAt: string;
  declaredBy: string;
  endedAt: string | null;
}

export interface ShelterStatusEventView {
  shelterId: string;
  disasterId: string | null;
  status: ShelterStatus;
  at: string;
  actor: string;
}

/** Needs totals: how many live stays carry each flag. */
export type NeedCounts = Record<Need, number>;

/** Live counts of one shelter: the HQ dashboard row, the public page (without needs/languages). */
export interface ShelterSummary {
  shelterId: string;
  municipalityCode: string;
  nameJa: string;
  nameEn: string;
  latitude: string | null;
  longitude: string | null;
  kind: ShelterKind;
  status: ShelterStatus;
  disasterId: string | null;
  capacity: number | null;
  /** People with status in (在所). */
  present: number;
  /** People with status out (一時外出): still counted as the shelter's evacuees. */
  out: number;
  households: number;
  male: number;
  female: number;
  /** Of the present and out, residents of other municipalities (joint use). */
  fromOtherMunicipalities: number;
  needs: NeedCounts;
  /** language code → count, for languages other than Japanese. */
  languages: Record<string, number>;
  /** present / capacity, 0..n (null when capacity unknown). */
  occupancyRate: number | null;
  updatedAt: string;
}

/** The HQ dashboard (GET /api/municipalities/:code/hq/overview). */
export interface HqOverview {
  municipalityCode: string;
  disasters: DisasterView[];
  /** Every shelter of the municipality that is not closed (open, full, requested), with live counts. */
  shelters: ShelterSummary[];
  /** People outside shelters reported for this municipality's residents, by place. */
  outside: Record<Exclude<StayPlace, 'shelter'>, number>;
  /** This municipality's residents staying in partners' shelters (joint use). */
  residentsElsewhere: { municipalityCode: string; shelterId: string; nameJa: string; nameEn: string; count: number }[];
  totals: { present: number; out: number; households: number; shelters: number; capacity: number };
  generatedAt: string;
}

/** Public congestion page: no personal data, no needs. */
export interface PublicShelterView {
  id: string;
  nameJa: string;
  nameEn: string;
  address: string;
  latitude: string | null;
  longitude: string | null;
  kind: ShelterKind;
  hazards: Hazard[];
  status: ShelterStatus;
  capacity: number | null;
  present: number;
  /** empty < 50 % ≤ some < 80 % ≤ crowded < 100 % ≤ full; unknown without capacity. */
  congestion: 'empty' | 'some' | 'crowded' | 'full' | 'unknown';
  updatedAt: string;
}

/** One person of a household as a shelter kiosk or roster shows them. */
export interface EvacueeView {
  evacueeId: string;
  municipalityCode: string;
  householdId: string;
  /** Null when the person's municipality may not share it with this one (no joint-use consent). */
  nameKanji: string | null;
  nameKana: string | null;
  /** Whether the card holder themself (vs a household member). */
  isResident: boolean;
  needs: Need[];
  language: string | null;
  sex: Sex | null;
  /** The person's live stay, if any (in this or another shelter). */
  stay: StayView | null;
}

export interface StayView {
  stayId: string;
  municipalityCode: string;
  evacueeId: string;
  evacueeMunicipalityCode: string;
  householdId: string;
  disasterId: string | null;
  place: StayPlace;
  shelterId: string | null;
  /** Null when the shelter is another municipality's and not visible (should not happen). */
  shelterNameJa: string | null;
  shelterNameEn: string | null;
  status: StayStatus;
  channel: StayChannel;
  needs: Need[];
  checkedInAt: string;
  endedAt: string | null;
}

/** The answer to a card touch at a shelter kiosk: who the card is and their household. */
export interface TouchResult {
  homeMunicipalityCode: string;
  homeMunicipalityName: Localized;
  /** False when the person is from a partner municipality and did not consent to sharing details. */
  detailsShared: boolean;
  household: EvacueeView[];
}

/** POST /api/municipalities/:code/shelters/:shelterId/stays */
export interface CheckInRequest {
  /** Client-generated (UUID v4 recommended). A retry with the same key returns the same stays. */
  idempotencyKey: string;
  /** When the kiosk recorded it (offline queue); defaults to now. Not before 7 days ago, not in the future. */
  at?: string;
  /** Accept although the shelter is full (staff decision). */
  acceptFull?: boolean;
  /** Exactly one of: */
  evacueeIds?: string[];
  /** A card read while offline: its authentication certificate (base64 DER); the holder is checked in. */
  certificate?: string;
  /** A personal QR token (from the resident's phone) or a static QR card's token. */
  qrToken?: string;
  /** A new person registered on the spot (card basic four with PIN, or typed by staff). */
  walkIn?: WalkInInput;
  /** Which path the check-in came through (recorded); default staff. */
  channel?: StayChannel;
}

export interface WalkInInput {
  source: 'card-walk-in' | 'staff-entry' | 'qr-intake';
  nameKanji: string;
  nameKana?: string;
  birthDate?: string;
  sex?: Sex;
  address?: string;
  phone?: string;
  needs?: Need[];
  language?: string;
  notes?: string;
  consentInquiry?: boolean;
  /** card-walk-in: the card's authentication certificate, so the next touch recognises the card. */
  certificate?: string;
  /** qr-intake: the code printed on a blank intake card. */
  intakeCode?: string;
  /** Join an existing household (a walk-in family checked in one by one). */
  householdId?: string;
}

export interface CheckInResult {
  /** True when this request created the stays; false when it replayed an earlier one with the same key. */
  created: boolean;
  stays: StayView[];
  /** Set when the shelter was full and acceptFull was given. */
  acceptedOverCapacity: boolean;
}

/** POST /api/municipalities/:code/stays/:stayId/movements */
export interface MovementRequest {
  idempotencyKey: string;
  kind: 'out' | 'back' | 'check-out' | 'transfer';
  /** transfer: the shelter (of this municipality) they move to. */
  toShelterId?: string;
  at?: string;
}

export interface MovementView {
  stayId: string;
  kind: MovementKind;
  shelterId: string | null;
  toShelterId: string | null;
  at: string;
  actor: string;
}

/** GET /api/municipalities/:code/shelters/:shelterId/roster */
export interface RosterEntry extends EvacueeView {
  stay: StayView;
}

/** Pre-registration (事前登録) on the resident portal: GET/PUT /api/resident/me/shelter-registration */
export interface PreRegistration {
  phone: string;
  pets: string;
  /** Consent to tell inquiring relatives (applies to every member registered here). */
  consentInquiry: boolean;
  /** Consent to share with joint-use municipalities' shelters. */
  consentJointUse: boolean;
  members: PreRegisteredMember[];
  updatedAt?: string;
}

export interface PreRegisteredMember {
  /** Present for existing members; omitted for new ones. The first member (self) is the resident. */
  evacueeId?: string;
  self: boolean;
  nameKanji: string;
  nameKana: string;
  birthDate: string;
  sex: Sex | '';
  allergies: string;
  medication: string;
  care: string;
  disability: string;
  pregnancy: boolean;
  infant: boolean;
  language: string;
  notes: string;
}

/** Resident-reported stay outside shelters: POST /api/resident/me/outside-stay */
export interface OutsideStayInput {
  idempotencyKey: string;
  place: Exclude<StayPlace, 'shelter'>;
  carPlate?: string;
  carModel?: string;
  note?: string;
}

/** POST /api/resident/me/safety-search */
export interface SafetySearchRequest {
  name: string;
  birthDate: string;
}
export interface SafetySearchResult {
  /** Empty when not found, not consented, or protected: the three are indistinguishable by design. */
  found: { municipalityCode: string; municipalityName: Localized; place: StayPlace; shelterName: Localized | null; since: string }[];
  remaining: number;
}

export interface SupplyItem {
  code: string;
  nameJa: string;
  nameEn: string;
  unitJa: string;
  unitEn: string;
  /** Per present person per day (demand estimate); null when not estimated per person. */
  perPersonPerDay: number | null;
  /** Estimated only for people with this need (e.g. infant → diapers). */
  forNeed: Need | null;
}

export type SupplyOrderStatus = 'requested' | 'ordered' | 'shipped' | 'received' | 'cancelled';

export interface SupplyRequestView {
  id: string;
  shelterId: string;
  shelterNameJa: string;
  shelterNameEn: string;
  disasterId: string | null;
  itemCode: string;
  needed: number;
  inStock: number;
  stockStatus: 'ok' | 'short';
  status: SupplyOrderStatus;
  note: string;
  requestedBy: string;
  createdAt: string;
  updatedAt: string;
  orderedAt: string | null;
  shippedAt: string | null;
  receivedAt: string | null;
}

/** GET /api/municipalities/:code/supplies/estimate: demand from occupancy, per shelter and item, for `days`. */
export interface SupplyEstimate {
  days: number;
  rows: { shelterId: string; itemCode: string; present: number; estimated: number; requested: number }[];
}

export interface CsvImportReport {
  created: number;
  updated: number;
  unchanged: number;
  /** Row numbers are 1-based data rows as a spreadsheet shows them (header = row 1). */
  errors: { row: number; column: string; message: Localized }[];
  dryRun: boolean;
}

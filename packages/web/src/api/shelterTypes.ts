// The shelter API's shapes: named in packages/server/src/shelter/contract.ts, generated from the
// OpenAPI document (see ./contract.ts). Only aliases here, so a change on the server shows up as a
// type error in the web app.
import type { Schema } from './contract';

export type Hazard = Schema<'Hazard'>;
export type ShelterKind = Schema<'ShelterKind'>;
export type ShelterStatus = Schema<'ShelterStatus'>;
export type DisasterKind = Schema<'DisasterKind'>;
export type Need = Schema<'Need'>;
export type StayPlace = Schema<'StayPlace'>;
export type StayStatus = Schema<'StayStatus'>;
export type StayChannel = Schema<'StayChannel'>;
export type MovementKind = Schema<'MovementKind'>;
export type Sex = Schema<'Sex'>;
export type Localized = Schema<'Localized'>;
export type ShelterView = Schema<'ShelterView'>;
export type DisasterView = Schema<'DisasterView'>;
export type ShelterStatusEventView = Schema<'ShelterStatusEventView'>;
export type NeedCounts = Schema<'NeedCounts'>;
export type ShelterSummary = Schema<'ShelterSummary'>;
export type HqOverview = Schema<'HqOverview'>;
export type PublicShelterView = Schema<'PublicShelterView'>;
export type EvacueeView = Schema<'EvacueeView'>;
export type StayView = Schema<'StayView'>;
export type TouchResult = Schema<'TouchResult'>;
export type CheckInRequest = Schema<'CheckInRequest'>;
export type WalkInInput = NonNullable<CheckInRequest['walkIn']>;
export type CheckInResult = Schema<'CheckInResult'>;
export type MovementRequest = Schema<'MovementRequest'>;
export type MovementView = Schema<'MovementView'>;
export type RosterEntry = Schema<'RosterEntry'>;
export type PreRegistration = Schema<'PreRegistration'>;
export type PreRegistrationInput = Schema<'PreRegistrationInput'>;
export type PreRegisteredMember = Schema<'PreRegisteredMember'>;
export type OutsideStayInput = Schema<'OutsideStayInput'>;
export type SafetySearchRequest = Schema<'SafetySearchRequest'>;
export type SafetySearchResult = Schema<'SafetySearchResult'>;
export type SupplyItem = Schema<'SupplyItem'>;
export type SupplyOrderStatus = Schema<'SupplyOrderStatus'>;
export type SupplyRequestView = Schema<'SupplyRequestView'>;
export type SupplyEstimate = Schema<'SupplyEstimate'>;
export type CsvImportReport = Schema<'CsvImportReport'>;

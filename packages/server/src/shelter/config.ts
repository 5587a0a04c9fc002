import type { EnvReader } from '../kernel/env.js';

/** The shelter domain's settings (README, Configuration). */
export function readShelterConfig(e: EnvReader) {
  return {
    /** Safety searches (安否確認) per resident per hour: more looks like enumeration. */
    safetySearchPerHour: e.int('KAZASHI_SAFETY_SEARCH_LIMIT', 10, { min: 1, max: 10_000 }),
    /** Shelter check-ins written together (group commit): most per transaction, transactions per municipality at once. */
    checkInBatch: {
      maxBatch: e.int('KAZASHI_CHECKIN_BATCH_MAX', 64, { min: 1, max: 1000 }),
      maxInFlight: e.int('KAZASHI_CHECKIN_BATCH_IN_FLIGHT', 2, { min: 1, max: 64 }),
    },
  };
}
export type ShelterSettings = ReturnType<typeof readShelterConfig>;

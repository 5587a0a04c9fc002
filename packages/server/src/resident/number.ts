import crypto from 'node:crypto';
import { dammCheckDigit, dammValid } from '@kazashi/shared';
import { ResidentErrors } from './errors.js';

// The check digit is shared with the browser: packages/shared/src/residentNumber.ts.
export { dammCheckDigit, dammValid };

/** A municipal resident ID (住民ID): six digits, five random plus a Damm check digit. */
export type ResidentNumber = string & { readonly __residentNumber: unique symbol };

/** A fresh random resident number (crypto.randomInt, never sequential). Uniqueness is the repository's job. */
export function newResidentNumber(): ResidentNumber {
  const payload = String(crypto.randomInt(0, 100_000)).padStart(5, '0');
  return (payload + dammCheckDigit(payload)) as ResidentNumber;
}

/**
 * Parses a resident number as typed by a person (spaces and hyphens ignored); a typo gives the
 * problem `resident-number-invalid`.
 * @example parseResidentNumber('12345 7')
 */
export function parseResidentNumber(input: string): ResidentNumber {
  const s = input.replace(/[\s-]/g, '');
  if (!/^[0-9]{6}$/.test(s) || !dammValid(s)) throw ResidentErrors['resident-number-invalid']();
  return s as ResidentNumber;
}

/** The resident's platform-wide address: `<municipality code>-<resident number>`. */
export const globalResidentId = (municipalityCode: string, residentNumber: string) => `${municipalityCode}-${residentNumber}`;

/** Parses `<municipality code>-<resident number>`. */
export function parseGlobalResidentId(input: string): { municipalityCode: string; residentNumber: ResidentNumber } {
  const m = /^\s*([0-9]{6})-(.+)$/.exec(input);
  if (!m) throw ResidentErrors['resident-number-invalid']();
  return { municipalityCode: m[1]!, residentNumber: parseResidentNumber(m[2]!) };
}

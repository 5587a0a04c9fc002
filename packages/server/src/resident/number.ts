import crypto from 'node:crypto';
import { ResidentErrors } from './errors.js';

/**
 * The Damm algorithm's totally anti-symmetric quasigroup of order 10 (Damm 2004). A check digit
 * computed with it detects every single-digit substitution and every transposition of two adjacent
 * digits (a weakly totally anti-symmetric quasigroup guarantees both); `number.test.ts` proves it
 * by enumeration.
 */
const DAMM: readonly (readonly number[])[] = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

function interim(digits: string): number {
  let i = 0;
  for (const ch of digits) i = DAMM[i]![ch.charCodeAt(0) - 48]!;
  return i;
}

/** The Damm check digit of a string of decimal digits. */
export function dammCheckDigit(digits: string): string {
  return String(interim(digits));
}

/** True when `digits` (payload + check digit) passes the Damm check. */
export function dammValid(digits: string): boolean {
  return /^[0-9]+$/.test(digits) && interim(digits) === 0;
}

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

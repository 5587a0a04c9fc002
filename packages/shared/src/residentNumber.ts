/**
 * The municipal resident ID (住民ID): six digits, five random plus a Damm check digit. The server
 * issues and parses it; the browser checks what a person typed before anything is sent.
 */

/**
 * The Damm algorithm's totally anti-symmetric quasigroup of order 10 (Damm 2004). A check digit
 * computed with it detects every single-digit substitution and every transposition of two adjacent
 * digits; `residentNumber.test.ts` proves it by enumeration.
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

/**
 * What a person typed, as the server reads it: full-width digits (from a Japanese IME) made
 * half-width, spaces and hyphens dropped.
 * @example normalizeResidentNumber('１２３ ４５-６') === '123456'
 */
export function normalizeResidentNumber(input: string): string {
  return input
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\-－ー‐]/g, '');
}

export type ResidentNumberCheck =
  | { ok: true; number: string }
  /** `empty`: nothing typed; `format`: not six digits; `check-digit`: six digits with a typo. */
  | { ok: false; reason: 'empty' | 'format' | 'check-digit' };

/**
 * Checks a typed resident number.
 * @example checkResidentNumber('000000') // { ok: true, number: '000000' }
 */
export function checkResidentNumber(input: string): ResidentNumberCheck {
  const s = normalizeResidentNumber(input);
  if (!s) return { ok: false, reason: 'empty' };
  if (!/^[0-9]{6}$/.test(s)) return { ok: false, reason: 'format' };
  if (!dammValid(s)) return { ok: false, reason: 'check-digit' };
  return { ok: true, number: s };
}

import crypto from 'node:crypto';

/** Katakana → hiragana, so a name typed either way matches. */
const toHiragana = (s: string) => s.replace(/[\u30A1-\u30F6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));

/** NFKC, no spaces of any width, katakana folded to hiragana. */
export function normaliseName(name: string): string {
  return toHiragana(name.normalize('NFKC').replace(/\s+/g, ''));
}

/** Keyed hash of a normalised name and a birth date: what safety search matches, never the name itself. */
export function searchKey(secret: Buffer, name: string, birthDate: string): string {
  return crypto.createHmac('sha256', secret).update(`kazashi-safety-search|${normaliseName(name)}|${birthDate}`).digest('base64url');
}

/** Keys for the kanji and the kana spelling (both, so either finds the person); none without a birth date. */
export function searchKeys(secret: Buffer, names: (string | undefined)[], birthDate: string | undefined): string[] {
  if (!birthDate) return [];
  return [...new Set(names.filter((n): n is string => !!n && normaliseName(n).length > 0).map((n) => searchKey(secret, n, birthDate)))];
}

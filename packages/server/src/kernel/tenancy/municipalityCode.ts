import { defineProblems } from '../errors.js';

/**
 * 全国地方公共団体コード: 2-digit prefecture + 3-digit municipality + a mod-11 検査数字.
 * Weights 6,5,4,3,2 over the first five digits; check digit = (11 - sum mod 11) mod 10.
 */
export function municipalityCheckDigit(firstFive: string): number {
  const weights = [6, 5, 4, 3, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(firstFive[i]), 0);
  return (11 - (sum % 11)) % 10;
}

export function isValidMunicipalityCode(code: string): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  const prefecture = Number(code.slice(0, 2));
  if (prefecture < 1 || prefecture > 47) return false;
  return municipalityCheckDigit(code.slice(0, 5)) === Number(code[5]);
}

/** The tenancy key's own problem: a code the check digit refuses. */
export const TenancyErrors = defineProblems({
  'invalid-municipality-code': {
    status: 400,
    ja: '全国地方公共団体コード「{code}」が正しくありません（6桁・検査数字を確認してください）。',
    en: 'Municipality code "{code}" is not valid (6 digits with a correct check digit).',
  },
});

/** Refuses (400 invalid-municipality-code) a code that is not a municipality's. */
export function assertMunicipalityCode(code: string): void {
  if (!isValidMunicipalityCode(code)) throw TenancyErrors['invalid-municipality-code']({ code });
}

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

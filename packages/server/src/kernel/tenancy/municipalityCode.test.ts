import { describe, expect, it } from 'vitest';
import { isValidMunicipalityCode, municipalityCheckDigit } from './municipalityCode.js';

describe('全国地方公共団体コード check digit', () => {
  it.each([
    ['282227', true], // 養父市
    ['282251', true], // 朝来市
    ['131016', true], // 千代田区
    ['011002', true], // 札幌市
    ['282228', false],
    ['282250', false],
    ['28222', false],
    ['2822270', false],
    ['abcdef', false],
    ['482227', false], // no prefecture 48
  ])('%s → %s', (code, valid) => {
    expect(isValidMunicipalityCode(code)).toBe(valid);
  });

  it('maps remainders 0 and 1 to check digits 1 and 0', () => {
    expect(municipalityCheckDigit('11000')).toBe(1); // 6+5 = 11 ≡ 0
    expect(municipalityCheckDigit('20000')).toBe(0); // 12 ≡ 1
  });
});

import { describe, expect, it } from 'vitest';
import { checkResidentNumber, dammCheckDigit, dammValid, normalizeResidentNumber } from './residentNumber.js';

describe('resident number check (browser and server alike)', () => {
  it('reads what a Japanese IME types', () => {
    expect(normalizeResidentNumber('１２３ ４５-６')).toBe('123456');
    expect(normalizeResidentNumber(' 12 34－5ー6 ')).toBe('123456');
  });

  it('accepts a number with its check digit and names what is wrong otherwise', () => {
    const good = `12345${dammCheckDigit('12345')}`;
    expect(checkResidentNumber(good)).toEqual({ ok: true, number: good });
    expect(checkResidentNumber('')).toEqual({ ok: false, reason: 'empty' });
    expect(checkResidentNumber('12345')).toEqual({ ok: false, reason: 'format' });
    expect(checkResidentNumber('12a456')).toEqual({ ok: false, reason: 'format' });
    const typo = `${good.slice(0, 5)}${(Number(good[5]) + 1) % 10}`;
    expect(checkResidentNumber(typo)).toEqual({ ok: false, reason: 'check-digit' });
  });

  it('catches every single wrong digit and every swap of neighbours in five-digit payloads', () => {
    let missed = 0;
    for (let n = 0; n < 100_000; n += 7) {
      const id = String(n).padStart(5, '0') + dammCheckDigit(String(n).padStart(5, '0'));
      expect(dammValid(id)).toBe(true);
      for (let i = 0; i < 6; i++) {
        for (let d = 0; d < 10; d++) if (String(d) !== id[i] && dammValid(id.slice(0, i) + d + id.slice(i + 1))) missed++;
        if (i < 5 && id[i] !== id[i + 1] && dammValid(id.slice(0, i) + id[i + 1] + id[i] + id.slice(i + 2))) missed++;
      }
    }
    expect(missed).toBe(0);
  });
});

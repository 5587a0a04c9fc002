// The resident number's check digit, proven by enumeration: every single-digit substitution and
// every adjacent transposition of many numbers is caught.
import { describe, expect, it } from 'vitest';
import { KazashiError } from '../kernel/errors.js';
import { dammCheckDigit, dammValid, globalResidentId, newResidentNumber, parseGlobalResidentId, parseResidentNumber } from './number.js';

describe('resident number (住民ID)', () => {
  it('is six digits: five random plus a Damm check digit', () => {
    for (let i = 0; i < 1000; i++) {
      const n = newResidentNumber();
      expect(n).toMatch(/^[0-9]{6}$/);
      expect(n[5]).toBe(dammCheckDigit(n.slice(0, 5)));
      expect(dammValid(n)).toBe(true);
    }
  });

  it('matches the published Damm example (572 → check digit 4)', () => {
    expect(dammCheckDigit('572')).toBe('4');
    expect(dammValid('5724')).toBe(true);
  });

  it('catches every single-digit substitution and every adjacent transposition, over all 100,000 numbers', () => {
    let substitutions = 0;
    let transpositions = 0;
    for (let p = 0; p < 100_000; p++) {
      const payload = String(p).padStart(5, '0');
      const id = payload + dammCheckDigit(payload);
      for (let i = 0; i < 6; i++) {
        for (let d = 0; d < 10; d++) {
          if (String(d) === id[i]) continue;
          const typo = id.slice(0, i) + d + id.slice(i + 1);
          if (dammValid(typo)) throw new Error(`substitution not caught: ${id} -> ${typo}`);
          substitutions++;
        }
      }
      for (let i = 0; i < 5; i++) {
        if (id[i] === id[i + 1]) continue;
        const typo = id.slice(0, i) + id[i + 1] + id[i] + id.slice(i + 2);
        if (dammValid(typo)) throw new Error(`transposition not caught: ${id} -> ${typo}`);
        transpositions++;
      }
    }
    expect(substitutions).toBe(100_000 * 6 * 9);
    expect(transpositions).toBeGreaterThan(400_000);
  });

  it('parses what a person types and refuses a typo with resident-number-invalid', () => {
    const n = newResidentNumber();
    expect(parseResidentNumber(` ${n.slice(0, 3)}-${n.slice(3)} `)).toBe(n);
    const typo = n.slice(0, 2) + ((Number(n[2]) + 1) % 10) + n.slice(3);
    for (const bad of [typo, '12345', '1234567', 'abcdef', '']) {
      try {
        parseResidentNumber(bad);
        expect.unreachable(bad);
      } catch (e) {
        expect(e).toBeInstanceOf(KazashiError);
        expect((e as KazashiError).code).toBe('resident-number-invalid');
        expect((e as KazashiError).status).toBe(400);
      }
    }
  });

  it('is addressed globally as <municipality code>-<resident number>', () => {
    const n = newResidentNumber();
    const g = globalResidentId('282227', n);
    expect(g).toBe(`282227-${n}`);
    expect(parseGlobalResidentId(g)).toEqual({ municipalityCode: '282227', residentNumber: n });
    expect(() => parseGlobalResidentId(`282227${n}`)).toThrow(KazashiError);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBasicFour } from './cardInfoAp.js';
import { JpkiError, MalformedResponse } from './errors.js';
import { SHA256_DIGEST_INFO_PREFIX, isValidPin, sha256DigestInfo } from './jpkiAp.js';
import { encodeTlv } from './tlv.js';
import { basicFourEf } from './virtual/card.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('parseBasicFour', () => {
  it('parses EF 0002 as the card writes it', () => {
    const person = { name: '養父　花子', address: '兵庫県養父市八鹿町八鹿１６７５', birthDate: '1945-08-15', sex: 'other' } as const;
    expect(parseBasicFour(basicFourEf(person))).toEqual(person);
  });

  it('maps the sex codes and formats the birth date', () => {
    const ef = (sex: string, birth = '19991231') =>
      encodeTlv(0xff20, [encodeTlv(0xdf21, Uint8Array.of(0)), encodeTlv(0xdf22, utf8('A')), encodeTlv(0xdf23, utf8('B')), encodeTlv(0xdf24, utf8(birth)), encodeTlv(0xdf25, utf8(sex))]);
    expect(parseBasicFour(ef('1'))).toMatchObject({ sex: 'male', birthDate: '1999-12-31' });
    expect(parseBasicFour(ef('2')).sex).toBe('female');
    expect(parseBasicFour(ef('9')).sex).toBe('other');
    expect(() => parseBasicFour(ef('3'))).toThrow(MalformedResponse);
    expect(() => parseBasicFour(ef('1', 'H11.12.31'))).toThrow(MalformedResponse);
    expect(() => parseBasicFour(encodeTlv(0xff21, []))).toThrow(MalformedResponse);
    expect(() => parseBasicFour(encodeTlv(0xff20, [encodeTlv(0xdf22, Uint8Array.of(0xff))]))).toThrow(MalformedResponse);
  });

  it('answers random or corrupted input with a value or a JpkiError only (property)', () => {
    const good = basicFourEf({ name: '山田 太郎', address: '東京都千代田区', birthDate: '1990-01-01', sex: 'male' });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), (random, flips) => {
        const corrupted = Uint8Array.from(good);
        for (const [i, b] of flips) corrupted[i] = b;
        for (const input of [random, corrupted]) {
          try {
            parseBasicFour(input);
          } catch (err) {
            expect(err).toBeInstanceOf(JpkiError);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('PIN formats and DigestInfo', () => {
  it('checks PIN formats', () => {
    expect(['1234', '0000'].every((p) => isValidPin('auth', p))).toBe(true);
    expect(['123', '12345', '12a4', '１２３４'].some((p) => isValidPin('auth', p))).toBe(false);
    expect(['ABC123', 'A'.repeat(16), '123456'].every((p) => isValidPin('sign', p))).toBe(true);
    expect(['abc123', 'ABC12', 'A'.repeat(17), 'ABC-123'].some((p) => isValidPin('sign', p))).toBe(false);
  });

  it('builds the SHA-256 DigestInfo', () => {
    const di = sha256DigestInfo(utf8('abc'));
    expect(Buffer.from(di.subarray(0, 19)).equals(Buffer.from(SHA256_DIGEST_INFO_PREFIX))).toBe(true);
    expect(Buffer.from(di.subarray(19)).toString('hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  CardRemoved,
  CardStatusError,
  InvalidPinFormat,
  JPKI_ERRORS,
  JpkiError,
  LastTryRefused,
  MalformedResponse,
  NotAMyNumberCard,
  PinLocked,
  ReaderUnavailable,
  SecurityStatusNotSatisfied,
  WrongPin,
  isJpkiError,
  type JpkiErrorCode,
  type KnownJpkiError,
} from './errors.js';

const samples: KnownJpkiError[] = [
  new WrongPin({ triesLeft: 2, pin: 'auth' }),
  new PinLocked({ pin: 'sign' }),
  new LastTryRefused({ pin: 'cardInfo' }),
  new InvalidPinFormat({ pin: 'sign' }),
  new NotAMyNumberCard(),
  new CardRemoved(),
  new ReaderUnavailable({ hint: 'pcscd is not running' }),
  new MalformedResponse('1 byte'),
  new CardStatusError(0x6a82),
  new SecurityStatusNotSatisfied(),
];

describe('errors', () => {
  it('one class per code, static and instance codes agree, every code listed once', () => {
    const codes = samples.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(Object.keys(JPKI_ERRORS).sort()).toEqual([...codes].sort());
    for (const e of samples) {
      const ctor = JPKI_ERRORS[e.code];
      expect(e).toBeInstanceOf(ctor);
      expect((e.constructor as unknown as { code: string }).code).toBe(e.code);
      expect(e).toBeInstanceOf(JpkiError);
      expect(e).toBeInstanceOf(Error);
      expect(e.code.startsWith(JpkiError.code)).toBe(true);
      expect(e.name).toBe(e.constructor.name);
      expect(isJpkiError(e)).toBe(true);
    }
    expect(isJpkiError(new Error('x'))).toBe(false);
  });

  it('has a Japanese and an English message for each', () => {
    for (const e of samples) {
      const { ja, en } = e.messages();
      expect(ja).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      expect(en).toMatch(/^[\x20-\x7e–]+$/);
      expect(e.message).toBe(en);
    }
    expect(new WrongPin({ triesLeft: 2, pin: 'auth' }).messages().ja).toContain('あと2回');
    expect(new CardStatusError(0x6a82).message).toContain('6A82');
    expect(new ReaderUnavailable({ hint: 'no reader' }).message).toContain('no reader');
  });

  it('narrows on code', () => {
    const describe = (err: KnownJpkiError): string => {
      switch (err.code) {
        case 'ERR_JPKI_WRONG_PIN':
          expectTypeOf(err).toEqualTypeOf<WrongPin>();
          return `wrong, ${err.triesLeft} left`;
        case CardStatusError.code:
          expectTypeOf(err).toEqualTypeOf<CardStatusError>();
          return `sw ${err.sw}`;
        case 'ERR_JPKI_LAST_TRY_REFUSED':
          return `last try ${err.triesLeft}`;
        default:
          return err.code;
      }
    };
    expect(describe(new WrongPin({ triesLeft: 1 }))).toBe('wrong, 1 left');
    expect(describe(new CardStatusError(0x6700))).toBe(`sw ${0x6700}`);
    expect(describe(new LastTryRefused())).toBe('last try 1');
    expectTypeOf<JpkiErrorCode>().toEqualTypeOf<keyof typeof JPKI_ERRORS>();
  });

  it('keeps the cause', () => {
    const cause = new Error('SCARD_W_REMOVED_CARD');
    expect(new CardRemoved({ cause }).cause).toBe(cause);
  });
});

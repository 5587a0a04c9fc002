import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CommandApdu,
  EXTENDED_LE_MAX,
  SW,
  correctLe,
  describeSw,
  isOk,
  isWellFormedSw,
  moreDataAvailable,
  parseResponse,
  responseBytes,
  triesLeft,
} from './apdu.js';
import { JpkiError, MalformedResponse } from './errors.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
const bytes = (h: string) => new Uint8Array(Buffer.from(h.replace(/ /g, ''), 'hex'));
const head = { cla: 0x00, ins: 0xb0, p1: 0x00, p2: 0x00 };

describe('CommandApdu.encode', () => {
  it('encodes the four cases in short form', () => {
    expect(hex(new CommandApdu({ ...head, ins: 0x20, p2: 0x80 }).encode())).toBe('00200080');
    expect(hex(new CommandApdu({ ...head, le: 0x20 }).encode())).toBe('00B0000020');
    expect(hex(new CommandApdu({ ...head, le: 256 }).encode())).toBe('00B0000000');
    expect(hex(new CommandApdu({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: bytes('000A') }).encode())).toBe('00A4020C02000A');
    expect(hex(new CommandApdu({ cla: 0x80, ins: 0x2a, p1: 0, p2: 0x80, data: bytes('0102'), le: 256 }).encode())).toBe('802A008002010200');
  });

  it('encodes extended length when needed or asked', () => {
    expect(hex(new CommandApdu({ ...head, le: 65536 }).encode())).toBe('00B00000000000');
    expect(hex(new CommandApdu({ ...head, le: 257 }).encode())).toBe('00B00000000101');
    expect(hex(new CommandApdu({ ...head, le: 0x20 }).encode('extended'))).toBe('00B00000000020');
    const data = new Uint8Array(300).fill(7);
    const e3 = new CommandApdu({ ...head, data }).encode();
    expect(hex(e3.subarray(0, 7))).toBe('00B0000000012C');
    expect(e3.length).toBe(7 + 300);
    const e4 = new CommandApdu({ ...head, data, le: 65536 }).encode();
    expect(hex(e4.subarray(-2))).toBe('0000');
    expect(e4.length).toBe(9 + 300);
    // case 4 with a short Lc but a long Le: both fields extended
    expect(hex(new CommandApdu({ ...head, data: bytes('AA'), le: 1000 }).encode())).toBe('00B000000000' + '01AA03E8');
    expect(hex(new CommandApdu({ ...head }).encode('extended'))).toBe('00B00000');
    expect(() => new CommandApdu({ ...head, le: 257 }).encode('short')).toThrow(RangeError);
  });

  it('rejects impossible fields', () => {
    expect(() => new CommandApdu({ ...head, le: 0 })).toThrow(RangeError);
    expect(() => new CommandApdu({ ...head, le: EXTENDED_LE_MAX + 1 })).toThrow(RangeError);
    expect(() => new CommandApdu({ ...head, p1: 256 })).toThrow(RangeError);
    expect(() => new CommandApdu({ ...head, data: new Uint8Array(65536) })).toThrow(RangeError);
  });
});

describe('CommandApdu.decode', () => {
  it('decodes short and extended forms', () => {
    expect(CommandApdu.decode(bytes('00B0000000')).le).toBe(256);
    expect(CommandApdu.decode(bytes('00B00000000000')).le).toBe(65536);
    const c4 = CommandApdu.decode(bytes('802A008002010200'));
    expect([c4.case, hex(c4.data), c4.le]).toEqual([4, '0102', 256]);
    expect(CommandApdu.decode(bytes('00A4020C02000A')).case).toBe(3);
    expect(CommandApdu.usesExtendedLength(bytes('00B00000000000'))).toBe(true);
    expect(CommandApdu.usesExtendedLength(bytes('00B0000000'))).toBe(false);
  });

  it('rejects length fields that do not match', () => {
    for (const h of ['00B000', '00A4020C0300', '00A4020C02000A0000', '00B000000000', '00B0000000000201']) {
      expect(() => CommandApdu.decode(bytes(h)), h).toThrow(RangeError);
    }
  });

  it('round-trips random commands (property)', () => {
    const byte = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(
        byte, byte, byte, byte,
        fc.oneof(fc.constant(undefined), fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.uint8Array({ minLength: 1, maxLength: 70000 }).filter((d) => d.length <= 65535)),
        fc.oneof(fc.constant(undefined), fc.integer({ min: 1, max: 256 }), fc.integer({ min: 1, max: 65536 })),
        fc.constantFrom('auto' as const, 'extended' as const),
        (cla, ins, p1, p2, data, le, form) => {
          const cmd = new CommandApdu({ cla, ins, p1, p2, data, le });
          const encoded = cmd.encode(form);
          const back = CommandApdu.decode(encoded);
          expect([back.cla, back.ins, back.p1, back.p2, back.le]).toEqual([cla, ins, p1, p2, le]);
          expect(Buffer.from(back.data).equals(Buffer.from(data ?? []))).toBe(true);
          expect(back.case).toBe(cmd.case);
          if (form === 'auto' && !cmd.needsExtended) expect(encoded.length).toBeLessThanOrEqual(4 + 1 + 255 + 1);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('responses and status words', () => {
  it('parses data and status word', () => {
    const r = parseResponse(bytes('0102 9000'));
    expect([hex(r.data), r.sw, r.sw1, r.sw2]).toEqual(['0102', 0x9000, 0x90, 0x00]);
    expect(hex(responseBytes(0x6a82))).toBe('6A82');
    expect(() => parseResponse(bytes('90'))).toThrow(MalformedResponse);
    expect(() => parseResponse(new Uint8Array(0))).toThrow(MalformedResponse);
  });

  it('reads the variable families', () => {
    expect(isOk(SW.OK)).toBe(true);
    expect(moreDataAvailable(0x6110)).toBe(16);
    expect(moreDataAvailable(0x6100)).toBe(256);
    expect(correctLe(0x6c20)).toBe(32);
    expect(correctLe(0x6c00)).toBe(256);
    expect(triesLeft(0x63c2)).toBe(2);
    expect(triesLeft(0x6983)).toBe(0);
    expect(triesLeft(0x9000)).toBeUndefined();
    expect(isWellFormedSw(0x6a82)).toBe(true);
    expect(isWellFormedSw(0x6000)).toBe(false);
    expect(isWellFormedSw(0x1234)).toBe(false);
    expect(describeSw(0x63c1)).toBe('63C1 verification failed, 1 try left');
    expect(describeSw(0x6a82)).toContain('not found');
    expect(describeSw(0x6c10)).toContain('16');
  });

  it('random bytes give a response or a JpkiError, never another exception (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        try {
          const r = parseResponse(b);
          expect(r.data.length).toBe(b.length - 2);
        } catch (err) {
          expect(err).toBeInstanceOf(JpkiError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JpkiError, MalformedResponse } from './errors.js';
import { encodeTlv, findTlv, parseTlv, parseTlvs, readTlvHeader, tlvLength } from './tlv.js';

const bytes = (h: string) => new Uint8Array(Buffer.from(h.replace(/ /g, ''), 'hex'));

describe('BER-TLV', () => {
  it('parses multi-byte tags and short and long lengths', () => {
    expect(readTlvHeader(bytes('30 82 04 10'))).toEqual({ tag: 0x30, constructed: true, headerLength: 4, valueLength: 0x410 });
    expect(readTlvHeader(bytes('DF 22 81 80'))).toEqual({ tag: 0xdf22, constructed: false, headerLength: 4, valueLength: 0x80 });
    expect(readTlvHeader(bytes('5F 81 01 84 00 00 01 00'))).toMatchObject({ tag: 0x5f8101, headerLength: 8, valueLength: 256 });
    expect(tlvLength(bytes('30 82 03 00'))).toBe(0x304);
    expect(tlvLength(bytes('04 03'))).toBe(5);
  });

  it('parses nested constructed objects and ignores trailing padding', () => {
    const ef = bytes('FF 20 0A DF 22 03 41 42 43 DF 25 01 31 00 00 00 00');
    const t = parseTlv(ef);
    expect(t.tag).toBe(0xff20);
    expect(t.constructed).toBe(true);
    expect(t.totalLength).toBe(13);
    expect(t.children!.map((c) => c.tag)).toEqual([0xdf22, 0xdf25]);
    expect(new TextDecoder().decode(findTlv(t.children!, 0xdf22)!.value)).toBe('ABC');
    expect(findTlv(t.children!, 0xdf24)).toBeUndefined();
    expect(parseTlv(ef, 0, { nested: false }).children).toBeUndefined();
    expect(parseTlvs(bytes('80 01 AA 81 00')).map((x) => x.tag)).toEqual([0x80, 0x81]);
  });

  it('throws MalformedResponse on truncated or invalid input', () => {
    for (const h of ['30', '9F', '9F 81', '30 82 01', '04 05 00', '30 80 00 00', '04 85 00 00 00 00 01', '9F 81 81 81 81 01 00', 'E1 02 04 05']) {
      expect(() => parseTlvs(bytes(h)), h).toThrow(MalformedResponse);
    }
    expect(parseTlvs(new Uint8Array(0))).toEqual([]);
    // nesting bounded
    let deep = bytes('04 00');
    for (let i = 0; i < 40; i++) deep = encodeTlv(0x30, deep);
    expect(() => parseTlv(deep)).toThrow(MalformedResponse);
    expect(parseTlv(deep, 0, { maxDepth: 64 }).tag).toBe(0x30);
  });

  it('encodes what it parses', () => {
    const long = new Uint8Array(300).fill(1);
    const enc = encodeTlv(0xff20, [encodeTlv(0xdf22, long), encodeTlv(0xdf25, bytes('31'))]);
    expect(Buffer.from(enc.subarray(0, 4)).toString('hex')).toBe('ff208201');
    const t = parseTlv(enc);
    expect(t.children![0]!.value.length).toBe(300);
    expect(t.totalLength).toBe(enc.length);
  });

  it('random bytes give a value or a JpkiError, never another exception (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (b, nested) => {
        for (const run of [() => parseTlvs(b, { nested }), () => parseTlv(b, 0, { nested }), () => tlvLength(b)]) {
          try {
            run();
          } catch (err) {
            expect(err).toBeInstanceOf(JpkiError);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('round-trips random trees (property)', () => {
    const tag = fc.constantFrom(0x04, 0x80, 0xdf22, 0x5f8101);
    fc.assert(
      fc.property(fc.array(fc.tuple(tag, fc.uint8Array({ maxLength: 400 })), { maxLength: 5 }), (items) => {
        const enc = encodeTlv(0xff20, items.map(([t, v]) => encodeTlv(t, v)));
        const parsed = parseTlv(enc);
        expect(parsed.children!.map((c) => [c.tag, Buffer.from(c.value).toString('hex')])).toEqual(items.map(([t, v]) => [t, Buffer.from(v).toString('hex')]));
      }),
    );
  });
});

import crypto from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { CommandApdu, isWellFormedSw, parseResponse } from '../apdu.js';
import { CARD_INFO_AID, parseBasicFour } from '../cardInfoAp.js';
import { JPKI_AID, sha256DigestInfo } from '../jpkiAp.js';
import { x509 } from '../x509.js';
import { TestCa } from './ca.js';
import { VirtualMyNumberCard } from './card.js';
import { decodeCardFile } from './cardFile.js';

const HOLDER = { name: '八鹿 一郎', address: '兵庫県養父市八鹿町八鹿１番地', birthDate: '1950-12-31', sex: 'male', authPin: '4321', signPin: 'ABCDEF' } as const;

let ca: TestCa;
let master: string;
const fresh = (t0 = false) => VirtualMyNumberCard.fromFile(master, { t0 });

beforeAll(async () => {
  ca = await TestCa.create();
  master = (await VirtualMyNumberCard.issue(ca, HOLDER)).toFile();
});

const h = (s: string) => new Uint8Array(Buffer.from(s.replace(/ /g, ''), 'hex'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
const selectJpki = `00A4040C0A${hex(JPKI_AID)}`;
const selectInfo = `00A4040C0A${hex(CARD_INFO_AID)}`;
/** Sends commands (hex) and returns each response as hex. */
const run = (card: VirtualMyNumberCard, ...cmds: string[]) => cmds.map((c) => hex(card.process(h(c))));

describe('VirtualMyNumberCard', () => {
  it('issues auth (CN = serial) and sign (CN = name) certificates from the test CA', async () => {
    const card = fresh();
    const auth = new x509.X509Certificate(card.certificate('auth'));
    const sign = new x509.X509Certificate(card.certificate('sign'));
    expect(auth.subject).toBe(`C=JP, CN=${auth.serialNumber}`);
    expect(sign.subject).toContain(`CN=${HOLDER.name}`);
    expect(await auth.verify({ publicKey: new x509.X509Certificate(ca.caCertificate('auth')).publicKey, signatureOnly: true })).toBe(true);
    expect(card.holder).toEqual({ name: HOLDER.name, address: HOLDER.address, birthDate: HOLDER.birthDate, sex: HOLDER.sex });
    expect(decodeCardFile(master).pins.cardInfo.pin).toBe(HOLDER.authPin); // defaults to the auth PIN
  });

  it('has a well-formed ATR', () => {
    const atr = fresh().atr;
    expect(hex(atr.subarray(0, 4))).toBe('3B898001');
    expect(atr.subarray(1).reduce((x, b) => x ^ b, 0)).toBe(0); // TCK
    expect(Buffer.from(atr.subarray(6, 13)).toString('ascii')).toBe('KAZASHI');
    expect(hex(fresh(true).atr)).toBe('3B0980574B415A41534849');
  });

  it('selects applications and EFs', () => {
    const card = fresh();
    expect(run(card, '00A4040C0AD3920000000000000000', '00A4020C02000A', selectJpki, '00A4020C02000A', '00A4020C020099', '00A4010C020000', '00A4020402000A', '00A4020C03000A00')).toEqual([
      '6A82', '6A82', '9000', '9000', '6A82', '6A86', '6A86', '6700',
    ]);
    expect(run(card, `00A404000A${hex(JPKI_AID)}00`)[0]).toBe(`6F0C840A${hex(JPKI_AID)}9000`);
  });

  it('reads binary with offsets, short and extended Le, and short EF identifiers', () => {
    const card = fresh();
    const der = card.certificate('auth');
    const [, token] = run(card, selectJpki, '00B0860020');
    expect(Buffer.from(h(token!.slice(0, -4))).toString('ascii')).toBe('JPKIAPICCTOKEN2'.padEnd(32));
    const [first] = run(card, '00B08A0000');
    expect(first!.slice(0, -4)).toBe(hex(der.subarray(0, 256)));
    expect(run(card, '00B0000104')[0]).toBe(`${hex(der.subarray(1, 5))}9000`); // EF 000A is current now
    const [all] = run(card, '00B00000000000');
    expect(all!.length / 2 - 2).toBe(2048); // the whole (padded) EF
    expect(all!.slice(0, der.length * 2)).toBe(hex(der));
    expect(run(card, '00B007F0FF')[0]).toMatch(/^(00){16}6282$/); // explicit Le past the end
    expect(run(card, '00B007F000')[0]).toMatch(/^(00){16}9000$/); // Le = 00 (maximum): what is there
    expect(run(card, '00B0080001', '00B07FFF01', '00B0000000010000', '00B0C60001', '00B0800001', '00B09F0001')).toEqual(['6B00', '6B00', '6700', '6A86', '6A86', '6A82']);
    expect(run(card, '00B0970001')[0]).toBe('6981'); // SFI 17: the auth key
    expect(run(card, '00B0000000')[0]).toBe('6981'); // … which is now current
  });

  it('needs a current EF and Le for READ BINARY', () => {
    const card = fresh();
    expect(run(card, selectJpki, '00B0000010', '00A4020C02000A', '00B00000')).toEqual(['9000', '6986', '9000', '6700']);
  });

  it('counts PIN tries with VERIFY, locks at zero, and resets on success', () => {
    const card = fresh();
    const pin = hex(Buffer.from(HOLDER.authPin));
    expect(run(card, selectJpki, '00200080')).toEqual(['9000', '6A88']);
    expect(run(card, '00A4020C020018', '00200080', '002000800431313131', '00200080', `0020008004${pin}`, '00200080')).toEqual(['9000', '63C3', '63C2', '63C2', '9000', '9000']);
    expect(card.pinTriesLeft('auth')).toBe(3);
    expect(run(card, '002000800430303030', '002000800430303030', '00200080', '002000800430303030', '00200080', `0020008004${pin}`, '00200081')).toEqual([
      '63C2', '63C1', '63C1', '63C0', '6983', '6983', '6A86',
    ]);
    expect(card.pinTriesLeft('auth')).toBe(0);
    // the sign PIN has its own counter of 5
    expect(run(card, '00A4020C02001B', '00200080')).toEqual(['9000', '63C5']);
  });

  it('guards the signing certificate, and signs with PKCS#1 v1.5 after the PIN', () => {
    const card = fresh();
    const digestInfo = sha256DigestInfo(Buffer.from('hello'));
    const signCmd = `802A0080${hex(Uint8Array.of(digestInfo.length))}${hex(digestInfo)}00`;
    expect(run(card, selectJpki, '00B0810000', signCmd, '00A4020C02001A', signCmd)).toEqual(['9000', '6982', '6985', '9000', '6982']);
    expect(run(card, '00A4020C02001B', `0020008006${hex(Buffer.from(HOLDER.signPin))}`, '00B0810004')).toEqual(['9000', '9000', `${hex(card.certificate('sign').subarray(0, 4))}9000`]);
    const [, signed] = run(card, '00A4020C02001A', signCmd);
    const signature = Buffer.from(h(signed!.slice(0, -4)));
    expect(signed!.slice(-4)).toBe('9000');
    const key = crypto.createPublicKey({ key: Buffer.from(new x509.X509Certificate(card.certificate('sign')).publicKey.rawData), format: 'der', type: 'spki' });
    expect(crypto.verify('sha256', Buffer.from('hello'), key, signature)).toBe(true);
    expect(run(card, `802A0081${signCmd.slice(8)}`, `802A0080F6${'00'.repeat(246)}00`, '802A008000', `802A008001AA10`)).toEqual(['6A86', '6700', '6700', '6700']);
    // selecting another application drops the security state
    expect(run(card, selectInfo, selectJpki, '00A4020C02001A', signCmd)).toEqual(['9000', '9000', '9000', '6982']);
  });

  it('never gives out EF 0001 of the card-information AP: 6982 always', () => {
    const card = fresh();
    const pin = hex(Buffer.from(HOLDER.authPin));
    expect(run(card, selectInfo, '00A4020C020001', '00B0000000', '00B0810000', '00A4020C020011', `0020008004${pin}`, '00A4020C020001', '00B0000000', '00B0810000', '00B00000000000')).toEqual([
      '9000', '9000', '6982', '6982', '9000', '9000', '9000', '6982', '6982', '6982',
    ]);
    const [basic] = run(card, '00B0820000');
    expect(parseBasicFour(h(basic!.slice(0, -4)))).toEqual(card.holder);
    expect(run(card, '802A00800101')[0]).toBe('6985'); // no keys in this application
  });

  it('answers unknown classes, instructions and broken lengths', () => {
    const card = fresh();
    expect(run(card, 'A0A4040C0AD392F000260100000001', '00CA000000', '80B0000000', '00A4040C', '00A4040C05D392', '00', '00C0000000')).toEqual(['6E00', '6D00', '6D00', '6700', '6700', '6700', '6985']);
  });

  it('forgets selection and security state on reset, keeps counters', () => {
    const card = fresh();
    run(card, selectJpki, '00A4020C020018', '002000800430303030');
    card.reset();
    expect(run(card, '00200080', '00B0860020')).toEqual(['6A88', '6A82']);
    expect(run(card, selectJpki, '00A4020C020018', '00200080')).toEqual(['9000', '9000', '63C2']);
  });

  it('emulates T=0: 61xx with GET RESPONSE, 6Cxx, no extended APDUs', () => {
    const card = fresh(true);
    expect(run(card, selectJpki, '00B0860040', '00B0860020', '00B08A00000000')).toEqual(['9000', '6C20', `${hex(Buffer.from('JPKIAPICCTOKEN2'.padEnd(32)))}9000`, '6700']);
    const pin = hex(Buffer.from(HOLDER.authPin));
    const digestInfo = sha256DigestInfo(Buffer.from('x'));
    const [, , , announced, part, wrongLe, rest] = run(card, '00A4020C020018', `0020008004${pin}`, '00A4020C020017', `802A008033${hex(digestInfo)}00`, '00C0000010', '00C0000000', '00C00000F0');
    expect(announced).toBe('6100');
    expect(part!.slice(-4)).toBe('61F0');
    expect(wrongLe).toBe('6CF0');
    expect(rest!.length / 2).toBe(0xf0 + 2);
    expect(rest!.slice(-4)).toBe('9000');
  });

  it('survives a card file round trip with its counters', () => {
    const card = fresh();
    expect(run(card, selectJpki, '00A4020C02001B', '0020008006303030303030')).toEqual(['9000', '9000', '63C4']);
    const again = VirtualMyNumberCard.fromFile(card.toFile());
    expect(again.pinTriesLeft('sign')).toBe(4);
    expect(hex(again.certificate('auth'))).toBe(hex(card.certificate('auth')));
    const json = JSON.parse(card.toFile()) as Record<string, unknown>;
    expect(json.format).toBe('kazashi-virtual-my-number-card');
    expect(json.version).toBe(1);
    expect(Object.keys(json)).not.toContain('myNumber');
  });

  it('answers random bytes with a well-formed status word, never throwing (property)', () => {
    const card = fresh();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const r = card.process(bytes);
        expect(r.length).toBeGreaterThanOrEqual(2);
        expect(isWellFormedSw(parseResponse(r).sw)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('answers random structured command sequences with well-formed status words (property)', () => {
    const byte = fc.integer({ min: 0, max: 255 });
    const command = fc.record({
      cla: fc.oneof(fc.constantFrom(0x00, 0x80), byte),
      ins: fc.oneof(fc.constantFrom(0xa4, 0xb0, 0x20, 0xc0, 0x2a), byte),
      p1: fc.oneof(fc.constantFrom(0x00, 0x02, 0x04, 0x81, 0x82, 0x86, 0x8a, 0x8b), byte),
      p2: fc.oneof(fc.constantFrom(0x00, 0x0c, 0x80), byte),
      data: fc.oneof(
        fc.constant(undefined),
        fc.constantFrom(JPKI_AID, CARD_INFO_AID, h('0001'), h('0002'), h('000A'), h('0011'), h('0017'), h('0018'), h('31323334'), h('34333231')),
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
      ),
      le: fc.oneof(fc.constant(undefined), fc.integer({ min: 1, max: 256 }), fc.integer({ min: 1, max: 65536 })),
      form: fc.constantFrom('auto' as const, 'extended' as const),
    });
    fc.assert(
      fc.property(fc.array(command, { maxLength: 30 }), fc.boolean(), (cmds, t0) => {
        const card = fresh(t0);
        for (const { form, ...fields } of cmds) {
          const r = card.process(new CommandApdu(fields).encode(form));
          expect(r.length).toBeGreaterThanOrEqual(2);
          expect(isWellFormedSw(parseResponse(r).sw)).toBe(true);
        }
        // whatever happened, EF 0001 of the card-information AP stays closed
        const probe = run(card, selectInfo, '00B0810000', '00A4020C020001', '00B0000000');
        expect(probe.slice(1)).toEqual(['6982', '9000', '6982']);
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * A virtual My Number Card that answers APDUs the way the real card does, for tests, the demo
 * (through vpcd, it appears in PC/SC as a card in a reader) and benchmarks. It is a TEST DOUBLE:
 * its certificates come from a {@link TestCa} ("not J-LIS") and it holds no My Number.
 *
 * Behaviour, as implemented and relied on by the tests:
 *
 * - Applications: JPKI (`D3 92 F0 00 26 01 00 00 00 01`) and card-information input support
 *   (`D3 92 10 00 31 00 01 01 04 08`). SELECT by AID `00 A4 04 0C|00` (P2 `00` returns an FCI
 *   `6F { 84 AID }`); an unknown AID → `6A82` and the selection is unchanged. Selecting an
 *   application clears every verified PIN (the security state belongs to the application).
 * - EFs: SELECT `00 A4 02 0C 02 FID` under the selected application; unknown FID → `6A82`.
 *   JPKI: 0006 token (32 bytes, `JPKIAPICCTOKEN2` + spaces), 000A/000B auth cert/CA, 0001/0002
 *   sign cert/CA (0001 needs the sign PIN), 0017/001A keys, 0018/001B PINs. Card-info: 0002 basic
 *   four (needs the card-info PIN), 0011 PIN, and 0001 — see below.
 * - File sizes: certificate EFs are 2,048 bytes (or the certificate rounded up to 256 bytes,
 *   if longer) with the DER at offset 0 and `00` padding; EF 0002 (basic four) is 512 bytes,
 *   padded likewise. Readers must take the length from the DER/TLV header, as with real cards.
 * - READ BINARY `00 B0 P1 P2 Le`: offset = P1(b7..b1)·256 + P2 of the current EF; with P1 =
 *   `100xxxxx` the EF with short identifier xxxxx (= FID `00xx`, e.g. SFI 0A = EF 000A) is
 *   selected and read from offset P2, and becomes the current EF. Offset at or past the end →
 *   `6B00`. When fewer bytes remain than Ne: if Le is the maximum (`00` short, `00 00`
 *   extended) the remaining bytes come with `9000` (ISO/IEC 7816-4: Ne maximum means "all
 *   available"), otherwise with `6282` (end of file before Ne bytes). Key and PIN EFs → `6981`;
 *   no current EF → `6986`; no Le or a data field → `6700`.
 * - VERIFY `00 20 00 80 [Lc PIN]` on the current PIN EF (else `6A88`): without data → `63Cx`
 *   (x = tries left) or `9000` if already verified; a wrong PIN decrements the counter (`63Cx`,
 *   `63C0` on the last); a locked PIN → `6983`; the right one resets the counter and sets the
 *   security state. Counters persist across resets, the security state does not.
 * - COMPUTE DIGITAL SIGNATURE `80 2A 00 80 Lc DigestInfo [Le]` with the key EF current and its
 *   PIN verified (else `6982`; no key EF → `6985`): PKCS#1 v1.5 type-1 padding of the DigestInfo
 *   (1–245 bytes) with the card's RSA-2048 key.
 * - CLA other than `00`/`80` → `6E00`; unknown INS → `6D00`; bad P1/P2 → `6A86`; bad lengths →
 *   `6700`. `process()` never throws; an internal failure answers `6F00`.
 * - `t0: true` emulates T=0: extended APDUs → `6700`; responses to commands with a data field
 *   come as `61xx` (fetch with GET RESPONSE `00 C0 00 00 xx`); a READ BINARY whose Le is not
 *   exactly the number of bytes available gets `6Cxx`.
 * - ATR: shaped like the one a PC/SC contactless reader reports for an ISO 14443-4 card (PC/SC
 *   part 3): `3B 89 80 01` + 9 historical bytes + TCK. The historical bytes are a COMPACT-TLV
 *   `80 57 "KAZASHI"` (card issuer's data) so no one mistakes it for a real card. With `t0` the
 *   ATR is `3B 09` + the same historical bytes (T=0 only, no TCK).
 *
 * @example
 * ```ts
 * const ca = await TestCa.create();
 * const card = await VirtualMyNumberCard.issue(ca, {
 *   name: '養父 太郎', address: '兵庫県養父市八鹿町八鹿1675', birthDate: '1980-04-01', sex: 'male',
 *   authPin: '1234', signPin: 'ABC123',
 * });
 * const { authCertificate } = await identify(new MemoryTransport(card, { extendedLength: true }));
 * ```
 * @module
 */
import crypto, { type KeyObject } from 'node:crypto';
import { CommandApdu, EXTENDED_LE_MAX, SHORT_LE_MAX, SW, responseBytes } from '../apdu.js';
import { BASIC_FOUR_TAGS, CARD_INFO_AID, type BasicFour } from '../cardInfoAp.js';
import type { PinKind } from '../errors.js';
import { JPKI_AID, JPKI_EF, PIN_MAX_TRIES, isValidPin } from '../jpkiAp.js';
import { encodeTlv } from '../tlv.js';
import type { ApduResponder } from '../transports/memory.js';
import type { TestCa } from './ca.js';
import { decodeCardFile, encodeCardFile, validateCardData, type VirtualCardData } from './cardFile.js';

/**
 * Options of a virtual card.
 *
 * @example
 * ```ts
 * VirtualMyNumberCard.fromFile(json, { t0: true });
 * ```
 */
export interface VirtualCardOptions {
  /** Emulate the T=0 protocol (61xx / 6Cxx procedure), to exercise a client's handling of it. */
  t0?: boolean;
}

/**
 * Who a virtual card is issued to, and its PINs.
 *
 * @example
 * ```ts
 * await VirtualMyNumberCard.issue(ca, { name, address, birthDate: '1980-04-01', sex: 'other', authPin: '1234', signPin: 'ABC123', cardInfoPin: '5678' });
 * ```
 */
export interface VirtualCardHolder extends BasicFour {
  /** 4 digits. */
  authPin: string;
  /** 6–16 of A–Z and 0–9. */
  signPin: string;
  /** 4 digits; defaults to `authPin` (as most residents set it). */
  cardInfoPin?: string;
}

type Access = 'always' | 'never' | PinKind;
type Ef =
  | { kind: 'binary'; fid: number; data: Uint8Array; read: Access }
  | { kind: 'pin'; fid: number; pin: PinKind }
  | { kind: 'key'; fid: number; key: 'auth' | 'sign'; pin: PinKind };
interface Application {
  aid: string;
  efs: Map<number, Ef>;
  signs: boolean;
}
interface Reply {
  sw: number;
  data?: Uint8Array;
}

const HISTORICAL = Uint8Array.of(0x80, 0x57, ...Buffer.from('KAZASHI', 'ascii'));
const CERT_EF_SIZE = 2048;
const BASIC_FOUR_EF_SIZE = 512;
const TOKEN = 'JPKIAPICCTOKEN2'.padEnd(32, ' ');
const MAX_DIGEST_INFO = 245;

function atrFor(t0: boolean): Uint8Array<ArrayBuffer> {
  if (t0) return Uint8Array.of(0x3b, 0x00 | HISTORICAL.length, ...HISTORICAL);
  const body = [0x80 | HISTORICAL.length, 0x80, 0x01, ...HISTORICAL];
  const tck = body.reduce((x, b) => x ^ b, 0);
  return Uint8Array.of(0x3b, ...body, tck);
}

function padded(content: Uint8Array, minSize: number): Uint8Array<ArrayBuffer> {
  const size = Math.max(minSize, Math.ceil(content.length / 256) * 256);
  const out = new Uint8Array(size);
  out.set(content, 0);
  return out;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

/**
 * The contents of EF 0002 of the card-information AP for `holder`:
 * `FF 20 L { DF21 header, DF22 name, DF23 address, DF24 YYYYMMDD, DF25 sex code }`, padded. The
 * DF21 header here holds the 2-byte offsets of the four items within the FF 20 value (open
 * implementations read it as "offsets"; clients need not use it).
 *
 * @example
 * ```ts
 * parseBasicFour(basicFourEf(holder)); // equals holder
 * ```
 */
export function basicFourEf(holder: BasicFour): Uint8Array<ArrayBuffer> {
  const utf8 = (s: string) => new TextEncoder().encode(s);
  const sexCode = { male: '1', female: '2', other: '9' }[holder.sex];
  const items = [
    encodeTlv(BASIC_FOUR_TAGS.name, utf8(holder.name)),
    encodeTlv(BASIC_FOUR_TAGS.address, utf8(holder.address)),
    encodeTlv(BASIC_FOUR_TAGS.birthDate, utf8(holder.birthDate.replace(/-/g, ''))),
    encodeTlv(BASIC_FOUR_TAGS.sex, utf8(sexCode)),
  ];
  const headerLength = 3 + 2 * items.length;
  const offsets: number[] = [];
  let at = headerLength;
  for (const item of items) {
    offsets.push(at >> 8, at & 0xff);
    at += item.length;
  }
  return padded(encodeTlv(BASIC_FOUR_TAGS.template, [encodeTlv(BASIC_FOUR_TAGS.header, Uint8Array.from(offsets)), ...items]), BASIC_FOUR_EF_SIZE);
}

/**
 * A virtual My Number Card (see the module documentation for its exact behaviour).
 *
 * @example
 * ```ts
 * const card = VirtualMyNumberCard.fromFile(json, { t0: true });
 * card.process(Uint8Array.of(0x00, 0xa4, 0x04, 0x0c, 0x0a, ...JPKI_AID)); // 90 00
 * ```
 */
export class VirtualMyNumberCard implements ApduResponder {
  readonly #data: VirtualCardData;
  readonly #keys: Record<'auth' | 'sign', KeyObject>;
  readonly #apps: Application[];
  readonly #t0: boolean;
  #app: Application | undefined;
  #ef: Ef | undefined;
  readonly #verified = new Set<PinKind>();
  #pending: Uint8Array | undefined;

  constructor(data: VirtualCardData, options: VirtualCardOptions = {}) {
    validateCardData(data);
    this.#data = structuredClone(data);
    this.#t0 = options.t0 ?? false;
    this.#keys = { auth: crypto.createPrivateKey(data.auth.privateKeyPem), sign: crypto.createPrivateKey(data.sign.privateKeyPem) };
    const cert = (der: Uint8Array) => padded(der, CERT_EF_SIZE);
    const efs = (list: Ef[]) => new Map(list.map((ef) => [ef.fid, ef]));
    this.#apps = [
      {
        aid: hex(JPKI_AID),
        signs: true,
        efs: efs([
          { kind: 'binary', fid: JPKI_EF.token, data: new TextEncoder().encode(TOKEN), read: 'always' },
          { kind: 'binary', fid: JPKI_EF.authCertificate, data: cert(data.auth.certificate), read: 'always' },
          { kind: 'binary', fid: JPKI_EF.authCaCertificate, data: cert(data.auth.caCertificate), read: 'always' },
          { kind: 'binary', fid: JPKI_EF.signCertificate, data: cert(data.sign.certificate), read: 'sign' },
          { kind: 'binary', fid: JPKI_EF.signCaCertificate, data: cert(data.sign.caCertificate), read: 'always' },
          { kind: 'key', fid: JPKI_EF.authKey, key: 'auth', pin: 'auth' },
          { kind: 'pin', fid: JPKI_EF.authPin, pin: 'auth' },
          { kind: 'key', fid: JPKI_EF.signKey, key: 'sign', pin: 'sign' },
          { kind: 'pin', fid: JPKI_EF.signPin, pin: 'sign' },
        ]),
      },
      {
        aid: hex(CARD_INFO_AID),
        signs: false,
        efs: efs([
          // EF 0001 holds the My Number on a real card. The virtual card has none and never will:
          // the number's collection is restricted by law, so no test, demo or log of Kazashi may
          // contain one, not even a fake that looks real. The EF exists (SELECT succeeds, as on a
          // real card) but READ BINARY always answers 69 82, with or without the PIN.
          { kind: 'binary', fid: 0x0001, data: new Uint8Array(0), read: 'never' },
          { kind: 'binary', fid: 0x0002, data: basicFourEf(data.holder), read: 'cardInfo' },
          { kind: 'pin', fid: 0x0011, pin: 'cardInfo' },
        ]),
      },
    ];
  }

  /**
   * Issues a card from a test CA: fresh RSA-2048 auth and sign keys, the auth certificate with
   * CN = its serial number (as real ones carry no name), the sign certificate with CN = the name.
   *
   * @example
   * ```ts
   * const card = await VirtualMyNumberCard.issue(ca, { name, address, birthDate: '1980-04-01', sex: 'female', authPin: '1234', signPin: 'ABC123' });
   * ```
   */
  static async issue(ca: TestCa, holder: VirtualCardHolder, options: VirtualCardOptions = {}): Promise<VirtualMyNumberCard> {
    const cardInfoPin = holder.cardInfoPin ?? holder.authPin;
    if (!isValidPin('auth', holder.authPin)) throw new TypeError('authPin must be 4 digits');
    if (!isValidPin('sign', holder.signPin)) throw new TypeError('signPin must be 6–16 of A–Z and 0–9');
    if (!isValidPin('cardInfo', cardInfoPin)) throw new TypeError('cardInfoPin must be 4 digits');
    const auth = await ca.issue('auth');
    const sign = await ca.issue('sign', { commonName: holder.name });
    return new VirtualMyNumberCard(
      {
        holder: { name: holder.name, address: holder.address, birthDate: holder.birthDate, sex: holder.sex },
        auth: { certificate: auth.certificate, caCertificate: ca.caCertificate('auth'), privateKeyPem: auth.privateKeyPem },
        sign: { certificate: sign.certificate, caCertificate: ca.caCertificate('sign'), privateKeyPem: sign.privateKeyPem },
        pins: {
          auth: { pin: holder.authPin, triesLeft: PIN_MAX_TRIES.auth },
          sign: { pin: holder.signPin, triesLeft: PIN_MAX_TRIES.sign },
          cardInfo: { pin: cardInfoPin, triesLeft: PIN_MAX_TRIES.cardInfo },
        },
      },
      options,
    );
  }

  /**
   * Loads a card from the JSON of a card file (see `cardFile.ts`).
   *
   * @example
   * ```ts
   * const card = VirtualMyNumberCard.fromFile(await fs.readFile('card.json', 'utf8'));
   * ```
   */
  static fromFile(json: string, options: VirtualCardOptions = {}): VirtualMyNumberCard {
    return new VirtualMyNumberCard(decodeCardFile(json), options);
  }

  /**
   * The card as card-file JSON, PIN counters included.
   *
   * @example
   * ```ts
   * await fs.writeFile('card.json', card.toFile());
   * ```
   */
  toFile(): string {
    return encodeCardFile(this.#data);
  }

  /**
   * The answer to reset (see the module documentation).
   *
   * @example
   * ```ts
   * card.atr; // 3B 89 80 01 80 57 4B 41 5A 41 53 48 49 <TCK>
   * ```
   */
  get atr(): Uint8Array<ArrayBuffer> {
    return atrFor(this.#t0);
  }

  /**
   * The holder certificate (DER) of a key, as the card holds it.
   *
   * @example
   * ```ts
   * new x509.X509Certificate(card.certificate('auth'));
   * ```
   */
  certificate(use: 'auth' | 'sign'): Uint8Array<ArrayBuffer> {
    return Uint8Array.from(this.#data[use].certificate);
  }

  /**
   * The basic four items the card holds.
   *
   * @example
   * ```ts
   * card.holder.name;
   * ```
   */
  get holder(): BasicFour {
    return { ...this.#data.holder };
  }

  /**
   * Tries left of a PIN (inspection for tests; a client asks with VERIFY).
   *
   * @example
   * ```ts
   * card.pinTriesLeft('auth'); // 3
   * ```
   */
  pinTriesLeft(pin: PinKind): number {
    return this.#data.pins[pin].triesLeft;
  }

  /**
   * Power cycle: no application or EF selected, no PIN verified. Counters are kept.
   *
   * @example
   * ```ts
   * card.reset();
   * ```
   */
  reset(): void {
    this.#app = undefined;
    this.#ef = undefined;
    this.#verified.clear();
    this.#pending = undefined;
  }

  /**
   * Answers one command APDU. Never throws; the answer always ends with a well-formed status
   * word.
   *
   * @example
   * ```ts
   * card.process(Uint8Array.of(0x00, 0xb0, 0x8a, 0x00, 0x00)); // 256 bytes of EF 000A + 90 00 (after SELECT JPKI)
   * ```
   */
  process(apdu: Uint8Array): Uint8Array<ArrayBuffer> {
    try {
      return this.#process(apdu);
    } catch {
      this.#pending = undefined;
      return responseBytes(SW.NO_PRECISE_DIAGNOSIS);
    }
  }

  #process(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
    const pending = this.#pending;
    this.#pending = undefined;
    if (!(bytes instanceof Uint8Array)) return responseBytes(SW.NO_PRECISE_DIAGNOSIS);
    let cmd: CommandApdu;
    try {
      cmd = CommandApdu.decode(bytes);
    } catch {
      return responseBytes(SW.WRONG_LENGTH);
    }
    const extended = CommandApdu.usesExtendedLength(bytes);
    if (this.#t0 && extended) return responseBytes(SW.WRONG_LENGTH);
    let reply: Reply;
    if (cmd.cla === 0x00) {
      switch (cmd.ins) {
        case 0xa4:
          reply = this.#select(cmd);
          break;
        case 0xb0:
          reply = this.#readBinary(cmd, extended);
          break;
        case 0x20:
          reply = this.#verify(cmd);
          break;
        case 0xc0:
          return this.#getResponse(cmd, pending);
        default:
          reply = { sw: SW.INS_NOT_SUPPORTED };
      }
    } else if (cmd.cla === 0x80) {
      reply = cmd.ins === 0x2a ? this.#computeSignature(cmd) : { sw: SW.INS_NOT_SUPPORTED };
    } else {
      reply = { sw: SW.CLA_NOT_SUPPORTED };
    }
    const data = reply.data ?? new Uint8Array(0);
    if (this.#t0 && data.length > 0 && cmd.data.length > 0) {
      // T=0 carries no response data for a command that sent data: the card announces it.
      this.#pending = data;
      return responseBytes(0x6100 | (data.length >= 256 ? 0 : data.length));
    }
    return responseBytes(reply.sw, data);
  }

  #getResponse(cmd: CommandApdu, pending: Uint8Array | undefined): Uint8Array<ArrayBuffer> {
    if (cmd.p1 !== 0 || cmd.p2 !== 0) return responseBytes(SW.INCORRECT_P1P2);
    if (cmd.data.length > 0) return responseBytes(SW.WRONG_LENGTH);
    if (!pending) return responseBytes(SW.CONDITIONS_NOT_SATISFIED);
    const ne = cmd.le ?? SHORT_LE_MAX;
    if (ne > pending.length) {
      this.#pending = pending;
      return responseBytes(0x6c00 | pending.length);
    }
    const rest = pending.subarray(ne);
    if (rest.length === 0) return responseBytes(SW.OK, pending);
    this.#pending = rest;
    return responseBytes(0x6100 | (rest.length >= 256 ? 0 : rest.length), pending.subarray(0, ne));
  }

  #select(cmd: CommandApdu): Reply {
    if (cmd.p1 === 0x04) {
      if (cmd.p2 !== 0x0c && cmd.p2 !== 0x00) return { sw: SW.INCORRECT_P1P2 };
      if (cmd.data.length === 0) return { sw: SW.WRONG_LENGTH };
      const app = this.#apps.find((a) => a.aid === hex(cmd.data));
      if (!app) return { sw: SW.FILE_NOT_FOUND };
      this.#app = app;
      this.#ef = undefined;
      this.#verified.clear();
      return cmd.p2 === 0x00 ? { sw: SW.OK, data: encodeTlv(0x6f, encodeTlv(0x84, cmd.data)) } : { sw: SW.OK };
    }
    if (cmd.p1 === 0x02) {
      if (cmd.p2 !== 0x0c) return { sw: SW.INCORRECT_P1P2 };
      if (cmd.data.length !== 2) return { sw: SW.WRONG_LENGTH };
      const ef = this.#app?.efs.get((cmd.data[0]! << 8) | cmd.data[1]!);
      if (!ef) return { sw: SW.FILE_NOT_FOUND };
      this.#ef = ef;
      return { sw: SW.OK };
    }
    return { sw: SW.INCORRECT_P1P2 };
  }

  #readBinary(cmd: CommandApdu, extended: boolean): Reply {
    if (cmd.data.length > 0 || cmd.le === undefined) return { sw: SW.WRONG_LENGTH };
    let ef: Ef | undefined;
    let offset: number;
    if (cmd.p1 & 0x80) {
      const sfi = cmd.p1 & 0x1f;
      if (cmd.p1 & 0x60 || sfi === 0) return { sw: SW.INCORRECT_P1P2 };
      ef = this.#app?.efs.get(sfi);
      if (!ef) return { sw: SW.FILE_NOT_FOUND };
      this.#ef = ef;
      offset = cmd.p2;
    } else {
      ef = this.#ef;
      if (!ef) return { sw: SW.NO_CURRENT_EF };
      offset = (cmd.p1 << 8) | cmd.p2;
    }
    if (ef.kind !== 'binary') return { sw: SW.INCOMPATIBLE_FILE };
    if (ef.read === 'never' || (ef.read !== 'always' && !this.#verified.has(ef.read))) return { sw: SW.SECURITY_STATUS_NOT_SATISFIED };
    if (offset >= ef.data.length) return { sw: SW.WRONG_P1P2 };
    const available = ef.data.length - offset;
    const ne = cmd.le;
    if (this.#t0 && ne > available) return { sw: 0x6c00 | available };
    const chunk = ef.data.subarray(offset, offset + Math.min(ne, available));
    if (ne <= available) return { sw: SW.OK, data: chunk };
    const maxLe = extended ? ne === EXTENDED_LE_MAX : ne === SHORT_LE_MAX;
    return { sw: maxLe ? SW.OK : SW.END_OF_FILE, data: chunk };
  }

  #verify(cmd: CommandApdu): Reply {
    if (cmd.p1 !== 0x00 || cmd.p2 !== 0x80) return { sw: SW.INCORRECT_P1P2 };
    const ef = this.#ef;
    if (!ef || ef.kind !== 'pin') return { sw: SW.REFERENCED_DATA_NOT_FOUND };
    const state = this.#data.pins[ef.pin];
    if (state.triesLeft === 0) return { sw: SW.AUTH_METHOD_BLOCKED };
    if (cmd.data.length === 0) return { sw: this.#verified.has(ef.pin) ? SW.OK : 0x63c0 | state.triesLeft };
    const given = Buffer.from(cmd.data);
    const expected = Buffer.from(state.pin, 'ascii');
    if (given.length === expected.length && crypto.timingSafeEqual(given, expected)) {
      state.triesLeft = PIN_MAX_TRIES[ef.pin];
      this.#verified.add(ef.pin);
      return { sw: SW.OK };
    }
    state.triesLeft -= 1;
    this.#verified.delete(ef.pin);
    return { sw: 0x63c0 | state.triesLeft };
  }

  #computeSignature(cmd: CommandApdu): Reply {
    if (cmd.p1 !== 0x00 || cmd.p2 !== 0x80) return { sw: SW.INCORRECT_P1P2 };
    const ef = this.#ef;
    if (!this.#app?.signs || !ef || ef.kind !== 'key') return { sw: SW.CONDITIONS_NOT_SATISFIED };
    if (!this.#verified.has(ef.pin)) return { sw: SW.SECURITY_STATUS_NOT_SATISFIED };
    if (cmd.data.length === 0 || cmd.data.length > MAX_DIGEST_INFO) return { sw: SW.WRONG_LENGTH };
    if (cmd.le !== undefined && cmd.le < 256) return { sw: SW.WRONG_LENGTH };
    const signature = crypto.privateEncrypt({ key: this.#keys[ef.key], padding: crypto.constants.RSA_PKCS1_PADDING }, cmd.data);
    return { sw: SW.OK, data: new Uint8Array(signature) };
  }
}

/**
 * ISO/IEC 7816-4 command and response APDUs: encoding of the four command cases in short and
 * extended length, decoding (for card-side code such as the virtual card), response parsing and
 * status-word helpers.
 *
 * @example
 * ```ts
 * const select = new CommandApdu({ cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x0c, data: aid });
 * const { data, sw } = parseResponse(await transport.transmit(select.encode()));
 * if (!isOk(sw)) throw new CardStatusError(sw);
 * ```
 * @module
 */
import { MalformedResponse, swHex } from './errors.js';

/**
 * Largest Ne of a short APDU (encoded as Le = `00`).
 *
 * @example
 * ```ts
 * new CommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: SHORT_LE_MAX }).encode(); // 00 B0 00 00 00
 * ```
 */
export const SHORT_LE_MAX = 256;
/**
 * Largest Ne of an extended APDU (encoded as Le = `00 00`).
 *
 * @example
 * ```ts
 * new CommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: EXTENDED_LE_MAX }).encode(); // 00 B0 00 00 00 00 00
 * ```
 */
export const EXTENDED_LE_MAX = 65536;
/**
 * Largest Nc of a short APDU.
 *
 * @example
 * ```ts
 * data.length <= SHORT_LC_MAX; // fits a short APDU
 * ```
 */
export const SHORT_LC_MAX = 255;
/**
 * Largest Nc of an extended APDU.
 *
 * @example
 * ```ts
 * data.length <= EXTENDED_LC_MAX; // fits an extended APDU
 * ```
 */
export const EXTENDED_LC_MAX = 65535;

/**
 * The fields of a command APDU.
 *
 * @example
 * ```ts
 * const fields: CommandApduFields = { cla: 0x00, ins: 0x20, p1: 0x00, p2: 0x80, data: pinBytes };
 * ```
 */
export interface CommandApduFields {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  /** Command data (Nc = its length); absent or empty for cases 1 and 2. */
  data?: Uint8Array | undefined;
  /**
   * Ne, the most response bytes expected: 1–65 536, or absent for cases 1 and 3. 256 is encoded
   * as short Le `00`, 65 536 as extended Le `00 00`.
   */
  le?: number | undefined;
}

/**
 * How {@link CommandApdu.encode} chooses the length fields.
 *
 * @example
 * ```ts
 * command.encode('extended');
 * ```
 */
export type ApduForm = 'auto' | 'short' | 'extended';

function checkByte(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new RangeError(`${name} must be a byte, got ${v}`);
  return v;
}

/**
 * A command APDU (ISO/IEC 7816-4 §5.1). Immutable; `encode()` gives its bytes.
 *
 * @example
 * ```ts
 * new CommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 }).encode(); // 00 B0 00 00 00
 * new CommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 65536 }).encode(); // 00 B0 00 00 00 00 00
 * ```
 */
export class CommandApdu {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  readonly data: Uint8Array<ArrayBuffer>;
  readonly le: number | undefined;

  constructor(fields: CommandApduFields) {
    this.cla = checkByte('CLA', fields.cla);
    this.ins = checkByte('INS', fields.ins);
    this.p1 = checkByte('P1', fields.p1);
    this.p2 = checkByte('P2', fields.p2);
    const data = fields.data ?? new Uint8Array(0);
    if (data.length > EXTENDED_LC_MAX) throw new RangeError(`command data is ${data.length} bytes; at most ${EXTENDED_LC_MAX}`);
    this.data = Uint8Array.from(data);
    if (fields.le !== undefined && (!Number.isInteger(fields.le) || fields.le < 1 || fields.le > EXTENDED_LE_MAX)) {
      throw new RangeError(`Le (Ne) must be 1..${EXTENDED_LE_MAX}, got ${fields.le}`);
    }
    this.le = fields.le;
  }

  /** ISO case: 1 (no data, no Le), 2 (Le), 3 (data), 4 (data and Le). */
  get case(): 1 | 2 | 3 | 4 {
    return this.data.length === 0 ? (this.le === undefined ? 1 : 2) : this.le === undefined ? 3 : 4;
  }

  /** Whether the command cannot be sent in short form. */
  get needsExtended(): boolean {
    return this.data.length > SHORT_LC_MAX || (this.le ?? 0) > SHORT_LE_MAX;
  }

  /** A copy with some fields replaced. */
  with(fields: Partial<CommandApduFields>): CommandApdu {
    return new CommandApdu({ cla: this.cla, ins: this.ins, p1: this.p1, p2: this.p2, data: this.data, le: this.le, ...fields });
  }

  /**
   * The bytes of the command. `auto` (default) uses short length fields when they suffice;
   * `short` throws a RangeError when they do not; `extended` always uses extended fields (for
   * cases 2–4).
   *
   * @example
   * ```ts
   * new CommandApdu({ cla: 0x80, ins: 0x2a, p1: 0x00, p2: 0x80, data: digestInfo, le: 256 }).encode();
   * // 80 2A 00 80 33 <51 bytes> 00
   * ```
   */
  encode(form: ApduForm = 'auto'): Uint8Array<ArrayBuffer> {
    const extended = form === 'extended' || (form === 'auto' && this.needsExtended);
    if (form === 'short' && this.needsExtended) throw new RangeError('command does not fit a short APDU');
    const nc = this.data.length;
    const header = [this.cla, this.ins, this.p1, this.p2];
    if (!extended) {
      const out = new Uint8Array(4 + (nc > 0 ? 1 + nc : 0) + (this.le !== undefined ? 1 : 0));
      out.set(header, 0);
      if (nc > 0) {
        out[4] = nc;
        out.set(this.data, 5);
      }
      if (this.le !== undefined) out[out.length - 1] = this.le === SHORT_LE_MAX ? 0 : this.le;
      return out;
    }
    if (nc === 0 && this.le === undefined) return Uint8Array.from(header); // case 1 has no length fields
    const bytes = new Uint8Array(4 + 1 + (nc > 0 ? 2 + nc : 0) + (this.le !== undefined ? 2 : 0));
    bytes.set(header, 0);
    let i = 4;
    bytes[i++] = 0x00;
    if (nc > 0) {
      bytes[i++] = nc >> 8;
      bytes[i++] = nc & 0xff;
      bytes.set(this.data, i);
      i += nc;
    }
    if (this.le !== undefined) {
      const le = this.le === EXTENDED_LE_MAX ? 0 : this.le;
      bytes[i] = le >> 8;
      bytes[i + 1] = le & 0xff;
    }
    return bytes;
  }

  /**
   * Whether encoded command bytes use extended length fields (a reader without extended-length
   * support cannot carry them).
   *
   * @example
   * ```ts
   * CommandApdu.usesExtendedLength(Uint8Array.of(0, 0xb0, 0, 0, 0, 0, 0)); // true
   * ```
   */
  static usesExtendedLength(bytes: Uint8Array): boolean {
    return bytes.length > 5 && bytes[4] === 0x00;
  }

  /**
   * Parses command bytes (card side). Throws a RangeError when the length fields do not
   * match the number of bytes (a card answers that with `6700`).
   *
   * @example
   * ```ts
   * CommandApdu.decode(Uint8Array.of(0x00, 0xb0, 0x8a, 0x00, 0x00)).le; // 256
   * ```
   */
  static decode(bytes: Uint8Array): CommandApdu {
    const n = bytes.length;
    if (n < 4) throw new RangeError('a command APDU has at least 4 bytes');
    const head = { cla: bytes[0]!, ins: bytes[1]!, p1: bytes[2]!, p2: bytes[3]! };
    if (n === 4) return new CommandApdu(head);
    const b4 = bytes[4]!;
    if (n === 5) return new CommandApdu({ ...head, le: b4 === 0 ? SHORT_LE_MAX : b4 });
    if (b4 !== 0) {
      if (n === 5 + b4) return new CommandApdu({ ...head, data: bytes.subarray(5) });
      if (n === 6 + b4) {
        const le = bytes[n - 1]!;
        return new CommandApdu({ ...head, data: bytes.subarray(5, 5 + b4), le: le === 0 ? SHORT_LE_MAX : le });
      }
      throw new RangeError('short Lc does not match the command length');
    }
    // extended: b4 = 00
    if (n === 7) {
      const le = (bytes[5]! << 8) | bytes[6]!;
      return new CommandApdu({ ...head, le: le === 0 ? EXTENDED_LE_MAX : le });
    }
    if (n < 8) throw new RangeError('extended length fields are truncated');
    const nc = (bytes[5]! << 8) | bytes[6]!;
    if (nc === 0) throw new RangeError('extended Lc is zero');
    if (n === 7 + nc) return new CommandApdu({ ...head, data: bytes.subarray(7) });
    if (n === 9 + nc) {
      const le = (bytes[n - 2]! << 8) | bytes[n - 1]!;
      return new CommandApdu({ ...head, data: bytes.subarray(7, 7 + nc), le: le === 0 ? EXTENDED_LE_MAX : le });
    }
    throw new RangeError('extended Lc does not match the command length');
  }
}

/**
 * A parsed response APDU.
 *
 * @example
 * ```ts
 * const { data, sw }: ResponseApdu = parseResponse(bytes);
 * ```
 */
export interface ResponseApdu {
  /** Response data (without the status word). */
  readonly data: Uint8Array<ArrayBuffer>;
  /** The status word, SW1 × 256 + SW2. */
  readonly sw: number;
  readonly sw1: number;
  readonly sw2: number;
}

/**
 * Splits response bytes into data and status word.
 *
 * @throws {MalformedResponse} when there are fewer than 2 bytes.
 * @example
 * ```ts
 * parseResponse(Uint8Array.of(0x01, 0x02, 0x90, 0x00)); // { data: 01 02, sw: 0x9000, sw1: 0x90, sw2: 0x00 }
 * ```
 */
export function parseResponse(bytes: Uint8Array): ResponseApdu {
  if (!(bytes instanceof Uint8Array)) throw new MalformedResponse('the response is not bytes');
  if (bytes.length < 2) throw new MalformedResponse(`the response has ${bytes.length} byte(s), fewer than a status word`);
  const sw1 = bytes[bytes.length - 2]!;
  const sw2 = bytes[bytes.length - 1]!;
  return { data: bytes.slice(0, -2), sw: (sw1 << 8) | sw2, sw1, sw2 };
}

/**
 * Builds response bytes (card side).
 *
 * @example
 * ```ts
 * responseBytes(SW.OK, data); // data followed by 90 00
 * ```
 */
export function responseBytes(sw: number, data?: Uint8Array): Uint8Array<ArrayBuffer> {
  const n = data?.length ?? 0;
  const out = new Uint8Array(n + 2);
  if (data) out.set(data, 0);
  out[n] = (sw >> 8) & 0xff;
  out[n + 1] = sw & 0xff;
  return out;
}

/**
 * Status words used by this package (ISO/IEC 7816-4 §5.6). Families with a variable SW2
 * (`61xx`, `6Cxx`, `63Cx`) have helpers below.
 *
 * @example
 * ```ts
 * if (sw === SW.FILE_NOT_FOUND) …
 * ```
 */
export const SW = {
  OK: 0x9000,
  /** End of file reached before reading Ne bytes. */
  END_OF_FILE: 0x6282,
  /** Verification failed, no tries counter given. */
  VERIFICATION_FAILED: 0x6300,
  WRONG_LENGTH: 0x6700,
  /** Command incompatible with file structure. */
  INCOMPATIBLE_FILE: 0x6981,
  SECURITY_STATUS_NOT_SATISFIED: 0x6982,
  /** Authentication method blocked (PIN locked). */
  AUTH_METHOD_BLOCKED: 0x6983,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  /** Command not allowed (no current EF). */
  NO_CURRENT_EF: 0x6986,
  INCORRECT_DATA: 0x6a80,
  FUNCTION_NOT_SUPPORTED: 0x6a81,
  FILE_NOT_FOUND: 0x6a82,
  INCORRECT_P1P2: 0x6a86,
  REFERENCED_DATA_NOT_FOUND: 0x6a88,
  /** Wrong parameters P1-P2 (e.g. offset outside the EF). */
  WRONG_P1P2: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
  NO_PRECISE_DIAGNOSIS: 0x6f00,
} as const;

/**
 * `9000`: normal processing.
 *
 * @example
 * ```ts
 * isOk(0x9000); // true
 * ```
 */
export function isOk(sw: number): boolean {
  return sw === SW.OK;
}

/**
 * `61xx`: more response bytes are waiting; returns how many (`00` means 256 or more), else
 * undefined. Fetch them with GET RESPONSE.
 *
 * @example
 * ```ts
 * moreDataAvailable(0x6110); // 16
 * ```
 */
export function moreDataAvailable(sw: number): number | undefined {
  return sw >> 8 === 0x61 ? (sw & 0xff || 256) : undefined;
}

/**
 * `6Cxx`: wrong Le; returns the exact Ne the card wants (`00` means 256), else undefined.
 *
 * @example
 * ```ts
 * correctLe(0x6c20); // 32
 * ```
 */
export function correctLe(sw: number): number | undefined {
  return sw >> 8 === 0x6c ? (sw & 0xff || 256) : undefined;
}

/**
 * PIN tries left from `63Cx` (x) or `6983` (0); undefined for any other status word.
 *
 * @example
 * ```ts
 * triesLeft(0x63c2); // 2
 * triesLeft(0x6983); // 0
 * ```
 */
export function triesLeft(sw: number): number | undefined {
  if ((sw & 0xfff0) === 0x63c0) return sw & 0x0f;
  if (sw === SW.AUTH_METHOD_BLOCKED) return 0;
  return undefined;
}

/**
 * Whether `sw` is a well-formed status word: SW1 in `61`–`6F` (except `60`) or `90`–`9F`
 * (ISO/IEC 7816-4 §5.6). `60` is a T=0 procedure byte, never a status.
 *
 * @example
 * ```ts
 * isWellFormedSw(0x6a82); // true
 * isWellFormedSw(0x1234); // false
 * ```
 */
export function isWellFormedSw(sw: number): boolean {
  const sw1 = (sw >> 8) & 0xff;
  return sw >= 0 && sw <= 0xffff && ((sw1 >= 0x61 && sw1 <= 0x6f) || (sw1 >= 0x90 && sw1 <= 0x9f));
}

const DESCRIPTIONS: Record<number, string> = {
  [SW.OK]: 'normal processing',
  [SW.END_OF_FILE]: 'end of file reached before reading Ne bytes',
  [SW.WRONG_LENGTH]: 'wrong length',
  [SW.INCOMPATIBLE_FILE]: 'command incompatible with file structure',
  [SW.SECURITY_STATUS_NOT_SATISFIED]: 'security status not satisfied',
  [SW.AUTH_METHOD_BLOCKED]: 'authentication method blocked',
  [SW.CONDITIONS_NOT_SATISFIED]: 'conditions of use not satisfied',
  [SW.NO_CURRENT_EF]: 'command not allowed (no current EF)',
  [SW.INCORRECT_DATA]: 'incorrect parameters in the data field',
  [SW.FUNCTION_NOT_SUPPORTED]: 'function not supported',
  [SW.FILE_NOT_FOUND]: 'file or application not found',
  [SW.INCORRECT_P1P2]: 'incorrect parameters P1-P2',
  [SW.REFERENCED_DATA_NOT_FOUND]: 'referenced data not found',
  [SW.WRONG_P1P2]: 'wrong parameters P1-P2 (offset outside the EF)',
  [SW.INS_NOT_SUPPORTED]: 'instruction not supported',
  [SW.CLA_NOT_SUPPORTED]: 'class not supported',
  [SW.NO_PRECISE_DIAGNOSIS]: 'no precise diagnosis',
};

/**
 * A short English description of a status word, for logs.
 *
 * @example
 * ```ts
 * describeSw(0x63c1); // '63C1 verification failed, 1 try left'
 * ```
 */
export function describeSw(sw: number): string {
  const tries = (sw & 0xfff0) === 0x63c0 ? sw & 0x0f : undefined;
  if (tries !== undefined) return `${swHex(sw)} verification failed, ${tries} ${tries === 1 ? 'try' : 'tries'} left`;
  const more = moreDataAvailable(sw);
  if (more !== undefined) return `${swHex(sw)} ${more} more byte(s) available`;
  const le = correctLe(sw);
  if (le !== undefined) return `${swHex(sw)} wrong Le, use ${le}`;
  return `${swHex(sw)} ${DESCRIPTIONS[sw] ?? 'unknown status'}`;
}

export { swHex };

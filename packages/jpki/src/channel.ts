/**
 * A logical connection to one card over a {@link CardTransport}: sends command APDUs, follows the
 * card's `61xx` (GET RESPONSE) and `6Cxx` (wrong Le) answers, counts exchanges, tracks which
 * application and EF are selected, and reads whole EFs in as few exchanges as the reader allows.
 *
 * @example
 * ```ts
 * const channel = new CardChannel(transport);
 * await channel.selectAid(JPKI_AID);
 * const cert = await channel.readEf(0x000a);
 * console.log(channel.exchanges);
 * ```
 * @module
 */
import {
  CommandApdu,
  EXTENDED_LE_MAX,
  SHORT_LE_MAX,
  SW,
  correctLe,
  moreDataAvailable,
  parseResponse,
  type ResponseApdu,
} from './apdu.js';
import {
  CardRemoved,
  CardStatusError,
  JpkiError,
  MalformedResponse,
  PinLocked,
  ReaderUnavailable,
  SecurityStatusNotSatisfied,
} from './errors.js';
import { tlvLength } from './tlv.js';
import type { CardTransport } from './transport.js';

/** Largest offset READ BINARY (even INS) can address in P1-P2. */
const MAX_OFFSET = 0x7fff;
/** Largest response the channel assembles from 61xx chains. */
const MAX_CHAINED = EXTENDED_LE_MAX + SHORT_LE_MAX;
/** Status words with which a card refuses a short-EF-identifier READ BINARY it does not support. */
const SFI_UNSUPPORTED = new Set<number>([SW.FUNCTION_NOT_SUPPORTED, SW.INCORRECT_P1P2, SW.INCOMPATIBLE_FILE, SW.NO_CURRENT_EF, SW.WRONG_P1P2, SW.INS_NOT_SUPPORTED, SW.CONDITIONS_NOT_SATISFIED]);

// PC/SC and socket failures that mean the card is gone (or was reset under us, which loses the
// session just the same): SCARD_W_REMOVED_CARD 0x80100069, SCARD_E_NO_SMARTCARD 0x8010000C,
// SCARD_W_RESET_CARD 0x80100068, SCARD_W_UNPOWERED_CARD 0x80100067.
const REMOVAL_CODES = new Set([0x80100069, 0x8010000c, 0x80100068, 0x80100067].flatMap((c) => [c, c | 0]));
const REMOVAL_TEXT = /SCARD_W_REMOVED_CARD|SCARD_E_NO_SMARTCARD|SCARD_W_RESET_CARD|SCARD_W_UNPOWERED_CARD|8010006[789]|8010000c|card (was |has been )?removed|no smart ?card(?! ?readers?)|card (is )?(absent|not present)/i;

function isRemoval(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'number' && REMOVAL_CODES.has(code)) return true;
  if (typeof code === 'string' && REMOVAL_TEXT.test(code)) return true;
  return typeof message === 'string' && REMOVAL_TEXT.test(message);
}

/**
 * The error a status word means when an operation expected `9000`: `6982` →
 * SecurityStatusNotSatisfied, `6983` → PinLocked, anything else → CardStatusError.
 *
 * @example
 * ```ts
 * throw errorForStatus(0x6a82); // CardStatusError { sw: 0x6a82 }
 * ```
 */
export function errorForStatus(sw: number): JpkiError {
  if (sw === SW.SECURITY_STATUS_NOT_SATISFIED) return new SecurityStatusNotSatisfied();
  if (sw === SW.AUTH_METHOD_BLOCKED) return new PinLocked();
  return new CardStatusError(sw);
}

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

function concat(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let i = 0;
  for (const p of parts) {
    out.set(p, i);
    i += p.length;
  }
  return out;
}

/**
 * Options of {@link CardChannel.readBinary}.
 *
 * @example
 * ```ts
 * await channel.readBinary(undefined, { shortEfId: 0x0a });
 * ```
 */
export interface ReadBinaryOptions {
  /**
   * Read by short EF identifier (1–30): the first READ BINARY carries `P1 = 80 | sfi`, selecting
   * the EF and reading it in one exchange; the EF becomes the current EF.
   */
  shortEfId?: number;
}

/**
 * One card session over a transport. Not safe for concurrent use: await each call.
 *
 * @example
 * ```ts
 * const channel = new CardChannel(new MemoryTransport(card, { extendedLength: true }));
 * const { data, sw } = await channel.transmit(new CommandApdu({ cla: 0, ins: 0xb0, p1: 0x86, p2: 0, le: 32 }));
 * ```
 */
export class CardChannel {
  readonly transport: CardTransport;
  #exchanges = 0;
  #aid: string | undefined;
  #currentEf: number | undefined;
  #shortEfIdWorks: boolean | undefined;

  constructor(transport: CardTransport) {
    this.transport = transport;
  }

  /** Every APDU transmitted so far, GET RESPONSE and re-issued commands included. */
  get exchanges(): number {
    return this.#exchanges;
  }

  /** Whether the transport carries extended-length APDUs. */
  get extendedLength(): boolean {
    return this.transport.extendedLength;
  }

  /** The AID (capital hex) of the application selected through this channel, if known. */
  get selectedAid(): string | undefined {
    return this.#aid;
  }

  /** The FID of the current EF, if known. */
  get currentEf(): number | undefined {
    return this.#currentEf;
  }

  /** Forgets what is selected (after a reset, or when the state is unknown). */
  forget(): void {
    this.#aid = undefined;
    this.#currentEf = undefined;
  }

  async #send(bytes: Uint8Array): Promise<ResponseApdu> {
    this.#exchanges++;
    let raw: Uint8Array;
    try {
      raw = await this.transport.transmit(bytes);
    } catch (err) {
      this.forget();
      if (err instanceof JpkiError) throw err;
      if (isRemoval(err)) throw new CardRemoved({ cause: err });
      throw new ReaderUnavailable({ hint: err instanceof Error ? err.message : String(err) }, { cause: err });
    }
    return parseResponse(raw);
  }

  /**
   * Sends a command and returns the card's final answer, whatever its status word: `61xx` is
   * followed with GET RESPONSE (`00 C0 00 00 xx`, data accumulated) and `6Cxx` by re-issuing the
   * command with Le = xx.
   *
   * @throws {CardRemoved | ReaderUnavailable} from the transport; {@link MalformedResponse} on a
   *   response shorter than 2 bytes or an endless 61xx chain; RangeError when the command needs
   *   extended length and the transport has none.
   * @example
   * ```ts
   * const { sw } = await channel.transmit(new CommandApdu({ cla: 0, ins: 0x20, p1: 0, p2: 0x80 }));
   * ```
   */
  async transmit(command: CommandApdu): Promise<ResponseApdu> {
    const form = this.extendedLength ? 'auto' : 'short';
    let response = await this.#send(command.encode(form));
    const wanted = correctLe(response.sw);
    if (wanted !== undefined) response = await this.#send(command.with({ le: wanted }).encode(form));
    let more = moreDataAvailable(response.sw);
    if (more === undefined) return response;
    const parts = [response.data];
    let total = response.data.length;
    while (more !== undefined) {
      let next = await this.#send(new CommandApdu({ cla: 0x00, ins: 0xc0, p1: 0x00, p2: 0x00, le: more }).encode('short'));
      const exact = correctLe(next.sw);
      if (exact !== undefined) next = await this.#send(new CommandApdu({ cla: 0x00, ins: 0xc0, p1: 0x00, p2: 0x00, le: exact }).encode('short'));
      parts.push(next.data);
      total += next.data.length;
      if (total > MAX_CHAINED) throw new MalformedResponse(`GET RESPONSE chain longer than ${MAX_CHAINED} bytes`);
      if (next.data.length === 0 && moreDataAvailable(next.sw) !== undefined) throw new MalformedResponse('GET RESPONSE returned no data but announced more');
      more = moreDataAvailable(next.sw);
      response = next;
    }
    return { ...response, data: concat(parts) };
  }

  /**
   * Like {@link transmit} but expects `9000` and returns the data.
   *
   * @throws {SecurityStatusNotSatisfied | PinLocked | CardStatusError} for any other status word.
   * @example
   * ```ts
   * const signature = await channel.request(computeSignature);
   * ```
   */
  async request(command: CommandApdu): Promise<Uint8Array<ArrayBuffer>> {
    const { data, sw } = await this.transmit(command);
    if (sw !== SW.OK) throw errorForStatus(sw);
    return data;
  }

  /**
   * SELECT by DF name (`00 A4 04 0C Lc AID`). Returns the response; on `9000` the channel
   * remembers the application and that no EF is current.
   *
   * @example
   * ```ts
   * const { sw } = await channel.selectAid(Uint8Array.from([0xd3, 0x92, 0xf0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01]));
   * ```
   */
  async selectAid(aid: Uint8Array): Promise<ResponseApdu> {
    this.forget();
    const response = await this.transmit(new CommandApdu({ cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x0c, data: aid }));
    if (response.sw === SW.OK) this.#aid = toHex(aid);
    return response;
  }

  /**
   * SELECT EF by file identifier under the current application (`00 A4 02 0C 02 FID`). Sends
   * nothing when that EF is already current.
   *
   * @throws {CardStatusError} e.g. `6A82` when there is no such EF.
   * @example
   * ```ts
   * await channel.selectEf(0x0018);
   * ```
   */
  async selectEf(fid: number): Promise<void> {
    if (this.#currentEf === fid) return;
    this.#currentEf = undefined;
    await this.request(new CommandApdu({ cla: 0x00, ins: 0xa4, p1: 0x02, p2: 0x0c, data: Uint8Array.of(fid >> 8, fid & 0xff) }));
    this.#currentEf = fid;
  }

  /**
   * Reads a whole EF: the current one, or the one named by `shortEfId`.
   *
   * With `efLength` it reads exactly that many bytes (fewer if the file ends first). Without it,
   * the length comes from the TLV header in the first chunk (a DER certificate `30 82 hi lo` is
   * 4 + hi·256 + lo bytes); if the file does not start with a TLV header it reads until the card
   * reports the end of the file.
   *
   * With an extended-length transport the first READ BINARY asks for Le = `00 00` (up to 65 536
   * bytes) and continues at the offset only if the card returned less than needed; otherwise it
   * reads 256-byte chunks (Le = `00`).
   *
   * @throws {SecurityStatusNotSatisfied} when the EF needs a PIN; {@link CardStatusError} on other
   *   refusals; {@link MalformedResponse} when the EF is shorter than its own header says.
   * @example
   * ```ts
   * await channel.selectEf(0x000a);
   * const der = await channel.readBinary();
   * const token = await channel.readBinary(32, { shortEfId: 0x06 });
   * ```
   */
  async readBinary(efLength?: number, options: ReadBinaryOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
    const result = await this.#readBinary(efLength, options.shortEfId);
    if ('refused' in result) throw errorForStatus(result.refused);
    return result.data;
  }

  async #readBinary(efLength: number | undefined, sfi: number | undefined): Promise<{ data: Uint8Array<ArrayBuffer> } | { refused: number }> {
    if (efLength !== undefined && (!Number.isInteger(efLength) || efLength < 0)) throw new RangeError(`bad EF length ${efLength}`);
    if (sfi !== undefined && (!Number.isInteger(sfi) || sfi < 1 || sfi > 30)) throw new RangeError(`bad short EF identifier ${sfi}`);
    const max = this.extendedLength ? EXTENDED_LE_MAX : SHORT_LE_MAX;
    const parts: Uint8Array[] = [];
    let offset = 0;
    let total = efLength;
    let headerHopeless = false;
    for (let first = true; ; first = false) {
      const remaining = total === undefined ? max : total - offset;
      if (remaining <= 0) break;
      if (offset > MAX_OFFSET) throw new MalformedResponse(`EF longer than READ BINARY can address (${offset} bytes read)`);
      const le = Math.min(remaining, max);
      const p1 = first && sfi !== undefined ? 0x80 | sfi : offset >> 8;
      const p2 = first && sfi !== undefined ? 0 : offset & 0xff;
      const { data, sw } = await this.transmit(new CommandApdu({ cla: 0x00, ins: 0xb0, p1, p2, le }));
      let endOfFile = false;
      if (sw === SW.END_OF_FILE) {
        endOfFile = true;
      } else if (sw === SW.WRONG_P1P2 && !first) {
        // offset at or past the end: the previous chunk ended the file exactly
        if (efLength === undefined && total !== undefined) throw new MalformedResponse(`EF ends at ${offset} bytes but its header says ${total}`);
        break;
      } else if (sw !== SW.OK) {
        if (first) {
          if (sfi !== undefined) this.#currentEf = undefined;
          return { refused: sw };
        }
        throw errorForStatus(sw);
      }
      if (first && sfi !== undefined) this.#currentEf = sfi;
      parts.push(data);
      offset += data.length;
      if (total === undefined && !headerHopeless) {
        const sofar = concat(parts);
        try {
          total = tlvLength(sofar);
        } catch {
          headerHopeless = sofar.length >= 10; // a header is at most 4 tag + 5 length bytes
        }
      }
      if (endOfFile || data.length === 0) break;
      if (total === undefined && data.length < le) break;
    }
    let out = concat(parts);
    if (total !== undefined) {
      if (out.length > total) out = out.slice(0, total);
      else if (efLength === undefined && out.length < total) throw new MalformedResponse(`EF ends at ${out.length} bytes but its header says ${total}`);
    }
    return { data: out };
  }

  /**
   * Reads a whole EF of the selected application by FID, in the fewest exchanges: nothing to
   * select if it is current; else one READ BINARY by short EF identifier (FIDs `0001`–`001E`,
   * SFI = low byte), falling back to SELECT + READ BINARY on a card that refuses short EF ids
   * (remembered for the channel).
   *
   * @example
   * ```ts
   * const der = await channel.readEf(0x000a); // auth certificate, 1 exchange with extended length
   * ```
   */
  async readEf(fid: number, efLength?: number): Promise<Uint8Array<ArrayBuffer>> {
    if (this.#currentEf === fid) return this.readBinary(efLength);
    if (fid >= 0x0001 && fid <= 0x001e && this.#shortEfIdWorks !== false) {
      const result = await this.#readBinary(efLength, fid);
      if ('data' in result) {
        this.#shortEfIdWorks = true;
        return result.data;
      }
      const sw = result.refused;
      if (sw === SW.FILE_NOT_FOUND) {
        // a card that reads by SFI and says "not found" means it; another may not map SFIs
        if (this.#shortEfIdWorks === true) throw errorForStatus(sw);
      } else if (SFI_UNSUPPORTED.has(sw) && this.#shortEfIdWorks === undefined) {
        this.#shortEfIdWorks = false;
      } else {
        throw errorForStatus(sw);
      }
    }
    await this.selectEf(fid);
    return this.readBinary(efLength);
  }
}

/**
 * BER-TLV (ISO/IEC 7816-4 §5.2, X.690 §8.1): multi-byte tags, definite short and long-form
 * lengths (up to 4 length bytes), constructed objects parsed into children.
 *
 * Every failure is a {@link MalformedResponse}: the input comes from a card, and a card that
 * sends broken TLV must not crash or hang the caller. Parsing is linear in the input (each
 * object consumes at least two bytes) and nesting is bounded by `maxDepth`.
 *
 * @example
 * ```ts
 * const [basic] = parseTlvs(ef0002.subarray(0, tlvLength(ef0002)));
 * const name = new TextDecoder().decode(findTlv(basic!.children!, 0xdf22)!.value);
 * ```
 * @module
 */
import { MalformedResponse } from './errors.js';

/**
 * One BER-TLV data object.
 *
 * @example
 * ```ts
 * const { tag, value, children }: Tlv = parseTlv(bytes);
 * ```
 */
export interface Tlv {
  /** The tag bytes as a number, e.g. `0x30`, `0xDF22`, `0xFF20`. */
  readonly tag: number;
  /** Bit 6 of the first tag byte: the value is itself a sequence of TLV objects. */
  readonly constructed: boolean;
  /** The value bytes (a view into the parsed buffer). */
  readonly value: Uint8Array;
  /** The parsed value of a constructed object (when parsing nested, the default). */
  readonly children?: readonly Tlv[];
  /** Where the object starts in the buffer given to the parser. */
  readonly offset: number;
  /** Header and value length together. */
  readonly totalLength: number;
}

/**
 * The tag and length fields of a TLV object.
 *
 * @example
 * ```ts
 * const { headerLength, valueLength }: TlvHeader = readTlvHeader(firstChunk);
 * ```
 */
export interface TlvHeader {
  readonly tag: number;
  readonly constructed: boolean;
  /** Bytes of tag and length fields. */
  readonly headerLength: number;
  /** Bytes of the value. */
  readonly valueLength: number;
}

/**
 * Options of {@link parseTlv} and {@link parseTlvs}.
 *
 * @example
 * ```ts
 * parseTlvs(bytes, { nested: false });
 * ```
 */
export interface TlvParseOptions {
  /** Parse constructed values into `children` (default true). */
  nested?: boolean;
  /** Deepest nesting accepted (default 16); deeper input is malformed. */
  maxDepth?: number;
}

const MAX_TAG_BYTES = 4;
const MAX_LENGTH_BYTES = 4;

/**
 * Reads the tag and length fields at `offset` (the value need not be present yet: the channel
 * uses this on the first chunk of a file to learn the file's length).
 *
 * @throws {MalformedResponse} on a truncated or invalid header.
 * @example
 * ```ts
 * readTlvHeader(Uint8Array.of(0x30, 0x82, 0x04, 0x10)); // { tag: 0x30, constructed: true, headerLength: 4, valueLength: 1040 }
 * ```
 */
export function readTlvHeader(bytes: Uint8Array, offset = 0): TlvHeader {
  let i = offset;
  const need = (what: string): number => {
    if (i >= bytes.length) throw new MalformedResponse(`TLV ${what} truncated at byte ${i}`);
    return bytes[i++]!;
  };
  const first = need('tag');
  let tag = first;
  if ((first & 0x1f) === 0x1f) {
    let b: number;
    let count = 1;
    do {
      b = need('tag');
      if (++count > MAX_TAG_BYTES) throw new MalformedResponse(`TLV tag longer than ${MAX_TAG_BYTES} bytes at byte ${offset}`);
      tag = tag * 256 + b;
    } while (b & 0x80);
  }
  const l0 = need('length');
  let valueLength: number;
  if (l0 < 0x80) {
    valueLength = l0;
  } else if (l0 === 0x80) {
    throw new MalformedResponse(`TLV indefinite length at byte ${i - 1}`);
  } else {
    const n = l0 & 0x7f;
    if (n > MAX_LENGTH_BYTES) throw new MalformedResponse(`TLV length of ${n} bytes at byte ${i - 1}`);
    valueLength = 0;
    for (let k = 0; k < n; k++) valueLength = valueLength * 256 + need('length');
  }
  return { tag, constructed: (first & 0x20) !== 0, headerLength: i - offset, valueLength };
}

/**
 * Total bytes (header + value) of the TLV object that starts `bytes`, from its header alone.
 * For a DER certificate `30 82 hi lo …` this is 4 + (hi × 256 + lo).
 *
 * @throws {MalformedResponse} on a truncated or invalid header.
 * @example
 * ```ts
 * tlvLength(Uint8Array.of(0x30, 0x82, 0x03, 0x00)); // 772
 * ```
 */
export function tlvLength(bytes: Uint8Array, offset = 0): number {
  const h = readTlvHeader(bytes, offset);
  return h.headerLength + h.valueLength;
}

function parseAt(bytes: Uint8Array, offset: number, opts: Required<TlvParseOptions>, depth: number): Tlv {
  const h = readTlvHeader(bytes, offset);
  const start = offset + h.headerLength;
  if (h.valueLength > bytes.length - start) {
    throw new MalformedResponse(`TLV value of ${h.valueLength} bytes at byte ${start} runs past the end (${bytes.length - start} left)`);
  }
  const value = bytes.subarray(start, start + h.valueLength);
  const base = { tag: h.tag, constructed: h.constructed, value, offset, totalLength: h.headerLength + h.valueLength };
  if (!h.constructed || !opts.nested) return base;
  if (depth >= opts.maxDepth) throw new MalformedResponse(`TLV nested deeper than ${opts.maxDepth}`);
  return { ...base, children: parseAll(value, opts, depth + 1) };
}

function parseAll(bytes: Uint8Array, opts: Required<TlvParseOptions>, depth: number): Tlv[] {
  const out: Tlv[] = [];
  let i = 0;
  while (i < bytes.length) {
    const tlv = parseAt(bytes, i, opts, depth);
    out.push(tlv);
    i += tlv.totalLength; // always ≥ 2, so the loop ends
  }
  return out;
}

function withDefaults(opts: TlvParseOptions): Required<TlvParseOptions> {
  return { nested: opts.nested ?? true, maxDepth: opts.maxDepth ?? 16 };
}

/**
 * Parses the one TLV object at `offset`; bytes after it are ignored (files on the card are
 * padded to a fixed size).
 *
 * @throws {MalformedResponse} on truncated or invalid input.
 * @example
 * ```ts
 * const basic = parseTlv(ef0002); // FF 20 … followed by padding
 * basic.children?.map((c) => c.tag); // [0xdf21, 0xdf22, 0xdf23, 0xdf24, 0xdf25]
 * ```
 */
export function parseTlv(bytes: Uint8Array, offset = 0, opts: TlvParseOptions = {}): Tlv {
  if (!(bytes instanceof Uint8Array)) throw new MalformedResponse('TLV input is not bytes');
  return parseAt(bytes, offset, withDefaults(opts), 0);
}

/**
 * Parses a sequence of TLV objects that fills `bytes` exactly.
 *
 * @throws {MalformedResponse} on truncated or invalid input.
 * @example
 * ```ts
 * parseTlvs(Uint8Array.of(0x80, 0x01, 0xaa, 0x81, 0x00)).map((t) => t.tag); // [0x80, 0x81]
 * ```
 */
export function parseTlvs(bytes: Uint8Array, opts: TlvParseOptions = {}): Tlv[] {
  if (!(bytes instanceof Uint8Array)) throw new MalformedResponse('TLV input is not bytes');
  return parseAll(bytes, withDefaults(opts), 0);
}

/**
 * The first object with `tag` among `tlvs` (not searching inside children).
 *
 * @example
 * ```ts
 * findTlv(basic.children ?? [], 0xdf24)?.value; // birth date bytes
 * ```
 */
export function findTlv(tlvs: readonly Tlv[], tag: number): Tlv | undefined {
  return tlvs.find((t) => t.tag === tag);
}

function tagBytes(tag: number): number[] {
  if (!Number.isInteger(tag) || tag < 0 || tag > 0xffffffff) throw new RangeError(`bad TLV tag ${tag}`);
  const out: number[] = [];
  let t = tag;
  do {
    out.unshift(t % 256);
    t = Math.floor(t / 256);
  } while (t > 0);
  return out;
}

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let t = n; t > 0; t = Math.floor(t / 256)) out.unshift(t % 256);
  if (out.length > MAX_LENGTH_BYTES) throw new RangeError(`TLV value too long (${n} bytes)`);
  return [0x80 | out.length, ...out];
}

/**
 * Encodes one TLV object with the shortest definite length. A list of values is concatenated
 * (the encodings of children of a constructed object).
 *
 * @example
 * ```ts
 * encodeTlv(0xff20, [encodeTlv(0xdf22, name), encodeTlv(0xdf23, address)]);
 * ```
 */
export function encodeTlv(tag: number, value: Uint8Array | readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const parts = value instanceof Uint8Array ? [value] : value;
  const len = parts.reduce((n, p) => n + p.length, 0);
  const head = [...tagBytes(tag), ...lengthBytes(len)];
  const out = new Uint8Array(head.length + len);
  out.set(head, 0);
  let i = head.length;
  for (const p of parts) {
    out.set(p, i);
    i += p.length;
  }
  return out;
}

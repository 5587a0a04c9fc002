/**
 * The on-disk form of a virtual My Number Card: a versioned JSON document with the holder's
 * basic four items, both key pairs (private keys as PKCS#8 PEM, certificates as base64 DER) and
 * the PIN states.
 *
 * It stores the PINs and private keys in clear because the virtual card is a TEST DOUBLE: it
 * exists so tests, demos and benchmarks can run without a real card. A real card never lets its
 * keys out and nothing in Kazashi ever stores a real PIN. Never put a real resident's data in
 * one. It holds no My Number either: the virtual card has none.
 *
 * @example
 * ```ts
 * await fs.writeFile('demo-card.json', card.toFile());
 * const again = VirtualMyNumberCard.fromFile(await fs.readFile('demo-card.json', 'utf8'));
 * ```
 * @module
 */
import type { BasicFour } from '../cardInfoAp.js';
import type { PinKind } from '../errors.js';
import { PIN_MAX_TRIES, isValidPin } from '../jpkiAp.js';

/**
 * Format name written into every card file.
 *
 * @example
 * ```ts
 * JSON.parse(card.toFile()).format; // 'kazashi-virtual-my-number-card'
 * ```
 */
export const CARD_FILE_FORMAT = 'kazashi-virtual-my-number-card';
/**
 * Version of the card file format this code writes and reads.
 *
 * @example
 * ```ts
 * JSON.parse(card.toFile()).version; // 1
 * ```
 */
export const CARD_FILE_VERSION = 1;

/**
 * One key pair of the virtual card.
 *
 * @example
 * ```ts
 * const { certificate, privateKeyPem }: VirtualCardKey = decodeCardFile(json).auth;
 * ```
 */
export interface VirtualCardKey {
  /** The holder certificate (DER). */
  certificate: Uint8Array;
  /** The issuing CA certificate (DER), kept in EF 000B / 0002. */
  caCertificate: Uint8Array;
  /** PKCS#8 PEM of the RSA-2048 private key. */
  privateKeyPem: string;
}

/**
 * A PIN of the virtual card and its retry counter.
 *
 * @example
 * ```ts
 * decodeCardFile(json).pins.auth.triesLeft; // 3
 * ```
 */
export interface VirtualPinState {
  pin: string;
  triesLeft: number;
}

/**
 * Everything a virtual card holds (what a card file stores).
 *
 * @example
 * ```ts
 * const card = new VirtualMyNumberCard(decodeCardFile(json) satisfies VirtualCardData);
 * ```
 */
export interface VirtualCardData {
  holder: BasicFour;
  auth: VirtualCardKey;
  sign: VirtualCardKey;
  pins: Record<PinKind, VirtualPinState>;
}

interface CardFileJson {
  format: typeof CARD_FILE_FORMAT;
  version: typeof CARD_FILE_VERSION;
  comment: string;
  holder: BasicFour;
  auth: { certificate: string; caCertificate: string; privateKeyPem: string };
  sign: { certificate: string; caCertificate: string; privateKeyPem: string };
  pins: Record<PinKind, VirtualPinState>;
}

const COMMENT = 'Kazashi virtual My Number Card: a test double. Holds private keys and PINs in clear; never real data; no My Number.';
const KINDS: readonly PinKind[] = ['auth', 'sign', 'cardInfo'];

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

/**
 * Serialises card data to the JSON of a card file.
 *
 * @example
 * ```ts
 * const json = encodeCardFile(data);
 * ```
 */
export function encodeCardFile(data: VirtualCardData): string {
  validateCardData(data);
  const key = (k: VirtualCardKey) => ({ certificate: b64(k.certificate), caCertificate: b64(k.caCertificate), privateKeyPem: k.privateKeyPem });
  const file: CardFileJson = {
    format: CARD_FILE_FORMAT,
    version: CARD_FILE_VERSION,
    comment: COMMENT,
    holder: { ...data.holder },
    auth: key(data.auth),
    sign: key(data.sign),
    pins: { auth: { ...data.pins.auth }, sign: { ...data.pins.sign }, cardInfo: { ...data.pins.cardInfo } },
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

function fail(why: string): never {
  throw new TypeError(`not a valid virtual card file: ${why}`);
}

function str(v: unknown, what: string): string {
  if (typeof v !== 'string') fail(`${what} is not a string`);
  return v;
}

function bytes(v: unknown, what: string): Uint8Array {
  const s = str(v, what);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length === 0) fail(`${what} is not base64`);
  return new Uint8Array(Buffer.from(s, 'base64'));
}

/**
 * Checks card data (holder fields, PIN formats and counters); throws a TypeError naming the
 * first problem.
 *
 * @example
 * ```ts
 * validateCardData(data);
 * ```
 */
export function validateCardData(data: VirtualCardData): void {
  const h = data.holder;
  if (typeof h?.name !== 'string' || h.name.length === 0) fail('holder.name');
  if (typeof h.address !== 'string' || h.address.length === 0) fail('holder.address');
  if (typeof h.birthDate !== 'string' || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(h.birthDate)) fail('holder.birthDate is not YYYY-MM-DD');
  if (h.sex !== 'male' && h.sex !== 'female' && h.sex !== 'other') fail('holder.sex');
  for (const kind of KINDS) {
    const p = data.pins?.[kind];
    if (!p || !isValidPin(kind, p.pin)) fail(`pins.${kind}.pin has the wrong format`);
    if (!Number.isInteger(p.triesLeft) || p.triesLeft < 0 || p.triesLeft > PIN_MAX_TRIES[kind]) fail(`pins.${kind}.triesLeft`);
  }
  for (const use of ['auth', 'sign'] as const) {
    const k = data[use];
    if (!(k?.certificate instanceof Uint8Array) || !(k.caCertificate instanceof Uint8Array)) fail(`${use} certificates`);
    if (typeof k.privateKeyPem !== 'string' || !k.privateKeyPem.includes('PRIVATE KEY')) fail(`${use}.privateKeyPem`);
  }
}

/**
 * Parses and validates the JSON of a card file.
 *
 * @throws {TypeError} when it is not a card file of a supported version.
 * @example
 * ```ts
 * const data = decodeCardFile(await fs.readFile('demo-card.json', 'utf8'));
 * ```
 */
export function decodeCardFile(json: string): VirtualCardData {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    fail('not JSON');
  }
  if (typeof raw !== 'object' || raw === null) fail('not an object');
  const f = raw as Partial<Record<keyof CardFileJson, unknown>>;
  if (f.format !== CARD_FILE_FORMAT) fail(`format is not ${CARD_FILE_FORMAT}`);
  if (f.version !== CARD_FILE_VERSION) fail(`version ${String(f.version)} is not supported (expected ${CARD_FILE_VERSION})`);
  const key = (v: unknown, use: string): VirtualCardKey => {
    const k = (v ?? {}) as Record<string, unknown>;
    return { certificate: bytes(k.certificate, `${use}.certificate`), caCertificate: bytes(k.caCertificate, `${use}.caCertificate`), privateKeyPem: str(k.privateKeyPem, `${use}.privateKeyPem`) };
  };
  const holder = (f.holder ?? {}) as Record<string, unknown>;
  const pins = (f.pins ?? {}) as Record<string, { pin?: unknown; triesLeft?: unknown } | undefined>;
  const pin = (kind: PinKind): VirtualPinState => ({ pin: str(pins[kind]?.pin, `pins.${kind}.pin`), triesLeft: pins[kind]?.triesLeft as number });
  const data: VirtualCardData = {
    holder: { name: str(holder.name, 'holder.name'), address: str(holder.address, 'holder.address'), birthDate: str(holder.birthDate, 'holder.birthDate'), sex: holder.sex as BasicFour['sex'] },
    auth: key(f.auth, 'auth'),
    sign: key(f.sign, 'sign'),
    pins: { auth: pin('auth'), sign: pin('sign'), cardInfo: pin('cardInfo') },
  };
  validateCardData(data);
  return data;
}

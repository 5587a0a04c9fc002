/**
 * The JPKI application (公的個人認証AP) of the My Number Card: certificates, PIN status and
 * verification, and signing with the card's RSA-2048 keys.
 *
 * @example
 * ```ts
 * const jpki = new JpkiClient(transport);
 * const cert = await jpki.readCertificate('auth');
 * await jpki.verifyPin('auth', '1234');
 * const signature = await jpki.signSha256('auth', challenge);
 * ```
 * @module
 */
import { createHash } from 'node:crypto';
import { CommandApdu, SW, triesLeft } from './apdu.js';
import { CardChannel, errorForStatus } from './channel.js';
import {
  InvalidPinFormat,
  JpkiError,
  LastTryRefused,
  MalformedResponse,
  NotAMyNumberCard,
  PinLocked,
  SecurityStatusNotSatisfied,
  WrongPin,
  type PinKind,
} from './errors.js';
import type { CardTransport } from './transport.js';

/**
 * AID of the JPKI application, `D3 92 F0 00 26 01 00 00 00 01`.
 *
 * @example
 * ```ts
 * await channel.selectAid(JPKI_AID);
 * ```
 */
export const JPKI_AID: Uint8Array<ArrayBuffer> = Uint8Array.of(0xd3, 0x92, 0xf0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01);

/**
 * EFs of the JPKI application.
 *
 * @example
 * ```ts
 * await channel.selectEf(JPKI_EF.authPin);
 * ```
 */
export const JPKI_EF = {
  /** Token, `JPKIAPICCTOKEN2` padded with spaces to 32 bytes on a My Number Card. */
  token: 0x0006,
  /** User-authentication certificate (利用者証明用電子証明書), readable without PIN. */
  authCertificate: 0x000a,
  authCaCertificate: 0x000b,
  authKey: 0x0017,
  /** User-authentication PIN: 4 digits, 3 tries. */
  authPin: 0x0018,
  /** Signing certificate (署名用電子証明書): readable only after the sign PIN. */
  signCertificate: 0x0001,
  signCaCertificate: 0x0002,
  signKey: 0x001a,
  /** Signing PIN: 6–16 of A–Z and 0–9, 5 tries. */
  signPin: 0x001b,
} as const;

/**
 * The four certificates of the JPKI application.
 *
 * @example
 * ```ts
 * await jpki.readCertificate('authCa' satisfies JpkiCertificate);
 * ```
 */
export type JpkiCertificate = 'auth' | 'authCa' | 'sign' | 'signCa';
/**
 * The two key pairs of the JPKI application.
 *
 * @example
 * ```ts
 * await jpki.pinTriesLeft('sign' satisfies JpkiKey);
 * ```
 */
export type JpkiKey = 'auth' | 'sign';

const CERT_EF: Record<JpkiCertificate, number> = {
  auth: JPKI_EF.authCertificate,
  authCa: JPKI_EF.authCaCertificate,
  sign: JPKI_EF.signCertificate,
  signCa: JPKI_EF.signCaCertificate,
};
const KEY_EF: Record<JpkiKey, number> = { auth: JPKI_EF.authKey, sign: JPKI_EF.signKey };
const PIN_EF: Record<JpkiKey, number> = { auth: JPKI_EF.authPin, sign: JPKI_EF.signPin };
const TOKEN_LENGTH = 32;
const TOKEN_PREFIX = 'JPKIAPICCTOKEN';
const JPKI_AID_HEX = Buffer.from(JPKI_AID).toString('hex').toUpperCase();
/** Longest DigestInfo an RSA-2048 key can sign with PKCS#1 v1.5 padding (256 − 11). */
const MAX_DIGEST_INFO = 245;
const SIGNATURE_LENGTH = 256;

/**
 * Tries each PIN allows before it locks.
 *
 * @example
 * ```ts
 * PIN_MAX_TRIES.sign; // 5
 * ```
 */
export const PIN_MAX_TRIES: Readonly<Record<PinKind, number>> = { auth: 3, sign: 5, cardInfo: 3 };

const PIN_FORMAT: Record<PinKind, RegExp> = { auth: /^[0-9]{4}$/, sign: /^[A-Z0-9]{6,16}$/, cardInfo: /^[0-9]{4}$/ };

/**
 * Whether `pin` has the format of that PIN: auth and card-info 4 digits; sign 6–16 of A–Z, 0–9.
 *
 * @example
 * ```ts
 * isValidPin('sign', 'ABC123'); // true
 * isValidPin('auth', '12345'); // false
 * ```
 */
export function isValidPin(kind: PinKind, pin: string): boolean {
  return typeof pin === 'string' && PIN_FORMAT[kind].test(pin);
}

/**
 * DER prefix of a SHA-256 DigestInfo (`30 31 30 0D 06 09 60 86 48 01 65 03 04 02 01 05 00 04 20`).
 *
 * @example
 * ```ts
 * const digestInfo = Buffer.concat([SHA256_DIGEST_INFO_PREFIX, sha256]);
 * ```
 */
export const SHA256_DIGEST_INFO_PREFIX: Uint8Array<ArrayBuffer> = Uint8Array.of(
  0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20,
);

/**
 * The SHA-256 DigestInfo of `message`, which the card PKCS#1 v1.5-pads and signs.
 *
 * @example
 * ```ts
 * sha256DigestInfo(new TextEncoder().encode('challenge')).length; // 51
 * ```
 */
export function sha256DigestInfo(message: Uint8Array): Uint8Array<ArrayBuffer> {
  const digest = createHash('sha256').update(message).digest();
  const out = new Uint8Array(SHA256_DIGEST_INFO_PREFIX.length + digest.length);
  out.set(SHA256_DIGEST_INFO_PREFIX, 0);
  out.set(digest, SHA256_DIGEST_INFO_PREFIX.length);
  return out;
}

/**
 * Options of PIN verification.
 *
 * @example
 * ```ts
 * await jpki.verifyPin('auth', pin, { allowLastTry: residentConfirmed });
 * ```
 */
export interface VerifyPinOptions {
  /**
   * Send the PIN even when only one try remains (a wrong PIN then locks it). Default false:
   * the client throws {@link LastTryRefused} without sending.
   */
  allowLastTry?: boolean;
}

/**
 * PIN tries left of the PIN EF `pinEf` of the selected application: VERIFY without data
 * (`00 20 00 80`) answers `63Cx`; `6983` means locked; `9000` means already verified (the
 * counter is then full).
 * @internal shared by the JPKI and card-info clients.
 *
 * @example
 * ```ts
 * await queryPinTries(channel, 0x0018, 'auth'); // 3
 * ```
 */
export async function queryPinTries(channel: CardChannel, pinEf: number, kind: PinKind): Promise<number> {
  await channel.selectEf(pinEf);
  const { sw } = await channel.transmit(new CommandApdu({ cla: 0x00, ins: 0x20, p1: 0x00, p2: 0x80 }));
  if (sw === SW.OK) return PIN_MAX_TRIES[kind];
  const left = triesLeft(sw);
  if (left !== undefined) return left;
  throw errorForStatus(sw);
}

/**
 * Verifies a PIN of the selected application, refusing to spend the last try unless allowed.
 * @internal shared by the JPKI and card-info clients.
 *
 * @example
 * ```ts
 * await verifyPinOnCard(channel, 0x0011, 'cardInfo', '1234', {});
 * ```
 */
export async function verifyPinOnCard(channel: CardChannel, pinEf: number, kind: PinKind, pin: string, options: VerifyPinOptions): Promise<void> {
  if (!isValidPin(kind, pin)) throw new InvalidPinFormat({ pin: kind });
  const before = await queryPinTries(channel, pinEf, kind);
  if (before === 0) throw new PinLocked({ pin: kind });
  if (before === 1 && !options.allowLastTry) throw new LastTryRefused({ pin: kind });
  const { sw } = await channel.transmit(new CommandApdu({ cla: 0x00, ins: 0x20, p1: 0x00, p2: 0x80, data: new TextEncoder().encode(pin) }));
  if (sw === SW.OK) return;
  const left = sw === SW.VERIFICATION_FAILED ? before - 1 : triesLeft(sw);
  if (left === 0) throw new PinLocked({ pin: kind });
  if (left !== undefined) throw new WrongPin({ triesLeft: left, pin: kind });
  throw errorForStatus(sw);
}

function asUint8(bytes: Uint8Array): Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('expected a Uint8Array');
  return bytes;
}

// Which channels have had the JPKI application selected and its token checked (per selection).
const confirmed = new WeakMap<CardChannel, string>();

/**
 * Client of the JPKI application. Selects the application once per channel (and checks the
 * token `JPKIAPICCTOKEN…` then), and selects EFs only when they are not already current.
 *
 * @example
 * ```ts
 * const jpki = new JpkiClient(new MemoryTransport(card, { extendedLength: true }));
 * const der = await jpki.readCertificate('auth');
 * console.log(jpki.channel.exchanges); // 3
 * ```
 */
export class JpkiClient {
  readonly channel: CardChannel;

  constructor(card: CardTransport | CardChannel) {
    this.channel = card instanceof CardChannel ? card : new CardChannel(card);
  }

  /**
   * Selects the JPKI application (unless it is already selected on this channel) and checks
   * the token. Returns the token, trailing spaces removed (`JPKIAPICCTOKEN2` on a My Number
   * Card).
   *
   * @throws {NotAMyNumberCard} when the application or token is missing or wrong.
   * @example
   * ```ts
   * await jpki.select(); // 'JPKIAPICCTOKEN2'
   * ```
   */
  async select(): Promise<string> {
    const known = confirmed.get(this.channel);
    if (known !== undefined && this.channel.selectedAid === JPKI_AID_HEX) return known;
    confirmed.delete(this.channel);
    const { sw } = await this.channel.selectAid(JPKI_AID);
    if (sw !== SW.OK) throw new NotAMyNumberCard({ cause: errorForStatus(sw) });
    let raw: Uint8Array;
    try {
      raw = await this.channel.readEf(JPKI_EF.token, TOKEN_LENGTH);
    } catch (err) {
      if (err instanceof JpkiError && (err.code === 'ERR_JPKI_CARD_STATUS' || err.code === 'ERR_JPKI_SECURITY_STATUS_NOT_SATISFIED')) {
        this.channel.forget();
        throw new NotAMyNumberCard({ cause: err });
      }
      throw err;
    }
    const token = Buffer.from(raw).toString('latin1').replace(/[ \0]+$/, '');
    if (!token.startsWith(TOKEN_PREFIX)) {
      this.channel.forget();
      throw new NotAMyNumberCard();
    }
    confirmed.set(this.channel, token);
    return token;
  }

  /**
   * Reads a certificate (DER): `auth` (EF 000A), `authCa` (000B), `sign` (0001, only after the
   * sign PIN was verified), `signCa` (0002).
   *
   * @throws {SecurityStatusNotSatisfied} for `sign` without the sign PIN.
   * @example
   * ```ts
   * const der = await jpki.readCertificate('auth');
   * ```
   */
  async readCertificate(which: JpkiCertificate): Promise<Uint8Array<ArrayBuffer>> {
    const fid = CERT_EF[which];
    if (fid === undefined) throw new TypeError(`unknown certificate ${String(which)}`);
    await this.select();
    const der = await this.channel.readEf(fid);
    if (der.length < 4 || der[0] !== 0x30) throw new MalformedResponse(`EF ${fid.toString(16).padStart(4, '0')} does not hold a DER certificate`);
    return der;
  }

  /**
   * Tries left of the auth (3 max) or sign (5 max) PIN, without spending one. 0 means locked.
   *
   * @example
   * ```ts
   * if ((await jpki.pinTriesLeft('auth')) === 1) warnResident();
   * ```
   */
  async pinTriesLeft(which: JpkiKey): Promise<number> {
    await this.select();
    return queryPinTries(this.channel, PIN_EF[which], which);
  }

  /**
   * Verifies the auth (4 digits) or sign (6–16 of A–Z, 0–9) PIN. It always asks the card for
   * the tries left first, and does not send the PIN when it is locked or when only one try
   * remains and `allowLastTry` is not set.
   *
   * @throws {InvalidPinFormat | PinLocked | LastTryRefused | WrongPin}
   * @example
   * ```ts
   * await jpki.verifyPin('sign', 'ABC123', { allowLastTry: false });
   * ```
   */
  async verifyPin(which: JpkiKey, pin: string, options: VerifyPinOptions = {}): Promise<void> {
    if (!isValidPin(which, pin)) throw new InvalidPinFormat({ pin: which });
    await this.select();
    await verifyPinOnCard(this.channel, PIN_EF[which], which, pin, options);
  }

  /**
   * Signs a DER DigestInfo with the auth or sign key: selects the key EF, then
   * `80 2A 00 80 Lc <DigestInfo> 00`. The card applies PKCS#1 v1.5 padding. Returns the
   * 256-byte RSA signature.
   *
   * @throws {SecurityStatusNotSatisfied} when the key's PIN was not verified on this channel.
   * @example
   * ```ts
   * await jpki.verifyPin('auth', pin);
   * const sig = await jpki.sign('auth', sha256DigestInfo(challenge));
   * ```
   */
  async sign(which: JpkiKey, digestInfo: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
    asUint8(digestInfo);
    if (digestInfo.length < 1 || digestInfo.length > MAX_DIGEST_INFO) throw new RangeError(`a DigestInfo for RSA-2048 has 1..${MAX_DIGEST_INFO} bytes`);
    await this.select();
    await this.channel.selectEf(KEY_EF[which]);
    const { data, sw } = await this.channel.transmit(new CommandApdu({ cla: 0x80, ins: 0x2a, p1: 0x00, p2: 0x80, data: digestInfo, le: 256 }));
    if (sw === SW.SECURITY_STATUS_NOT_SATISFIED) throw new SecurityStatusNotSatisfied();
    if (sw !== SW.OK) throw errorForStatus(sw);
    if (data.length !== SIGNATURE_LENGTH) throw new MalformedResponse(`signature of ${data.length} bytes, expected ${SIGNATURE_LENGTH}`);
    return data;
  }

  /**
   * Signs the SHA-256 DigestInfo of `message` (RSASSA-PKCS1-v1_5 with SHA-256).
   *
   * @example
   * ```ts
   * const sig = await jpki.signSha256('auth', challenge);
   * crypto.verify('sha256', challenge, publicKeyOf(cert), sig); // true
   * ```
   */
  async signSha256(which: JpkiKey, message: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
    return this.sign(which, sha256DigestInfo(asUint8(message)));
  }
}

/**
 * The card flows the kiosk card agent and the benchmarks run, each in as few APDU exchanges as
 * the reader allows, each reporting how many it took.
 *
 * @example
 * ```ts
 * const { authCertificate, exchanges } = await identify(transport);
 * const { signature } = await authenticate(transport, challenge, pin);
 * ```
 * @module
 */
import { CardInfoClient, type BasicFour } from './cardInfoAp.js';
import { CardChannel } from './channel.js';
import { JpkiClient, type VerifyPinOptions } from './jpkiAp.js';
import type { CardTransport } from './transport.js';

/**
 * Options of {@link identify}.
 *
 * @example
 * ```ts
 * await identify(transport, { includeCaCertificate: true });
 * ```
 */
export interface IdentifyOptions {
  /** Also read the auth CA certificate (EF 000B); off by default to save exchanges. */
  includeCaCertificate?: boolean;
}

/**
 * What {@link identify} returns.
 *
 * @example
 * ```ts
 * const { authCertificate, exchanges }: IdentifyResult = await identify(transport);
 * ```
 */
export interface IdentifyResult {
  /** The user-authentication certificate (DER). */
  authCertificate: Uint8Array<ArrayBuffer>;
  /** The auth CA certificate (DER), when asked for. */
  authCaCertificate?: Uint8Array<ArrayBuffer>;
  /** APDU exchanges the flow took. */
  exchanges: number;
}

/**
 * What {@link authenticate} returns.
 *
 * @example
 * ```ts
 * const { certificate, signature }: AuthenticateResult = await authenticate(transport, challenge, pin);
 * ```
 */
export interface AuthenticateResult {
  /** The user-authentication certificate (DER) whose key made the signature. */
  certificate: Uint8Array<ArrayBuffer>;
  /** RSASSA-PKCS1-v1_5 / SHA-256 signature of the challenge (256 bytes). */
  signature: Uint8Array<ArrayBuffer>;
  exchanges: number;
}

/**
 * What {@link readBasicFour} returns.
 *
 * @example
 * ```ts
 * const { basicFour }: ReadBasicFourResult = await readBasicFour(transport, pin);
 * ```
 */
export interface ReadBasicFourResult {
  basicFour: BasicFour;
  exchanges: number;
}

function channelOf(card: CardTransport | CardChannel): CardChannel {
  return card instanceof CardChannel ? card : new CardChannel(card);
}

/**
 * Identifies a card by its user-authentication certificate, without a PIN: select the JPKI
 * application, check the token, read EF 000A (3 exchanges with an extended-length reader).
 *
 * @throws {NotAMyNumberCard | CardRemoved | ReaderUnavailable | MalformedResponse}
 * @example
 * ```ts
 * const { authCertificate } = await identify(new MemoryTransport(card, { extendedLength: true }));
 * ```
 */
export async function identify(card: CardTransport | CardChannel, options: IdentifyOptions = {}): Promise<IdentifyResult> {
  const channel = channelOf(card);
  const start = channel.exchanges;
  const jpki = new JpkiClient(channel);
  const authCertificate = await jpki.readCertificate('auth');
  const authCaCertificate = options.includeCaCertificate ? await jpki.readCertificate('authCa') : undefined;
  return { authCertificate, ...(authCaCertificate ? { authCaCertificate } : {}), exchanges: channel.exchanges - start };
}

/**
 * Card-touch login: reads the auth certificate, verifies the 4-digit auth PIN (refusing to
 * spend the last try unless `allowLastTry`), and signs the SHA-256 DigestInfo of `challenge`
 * with the auth key. The verifier checks the signature against the certificate's public key.
 *
 * @throws {InvalidPinFormat | WrongPin | LastTryRefused | PinLocked | NotAMyNumberCard | CardRemoved}
 * @example
 * ```ts
 * const { certificate, signature } = await authenticate(transport, challenge, '1234');
 * ```
 */
export async function authenticate(
  card: CardTransport | CardChannel,
  challenge: Uint8Array,
  pin: string,
  options: VerifyPinOptions = {},
): Promise<AuthenticateResult> {
  if (!(challenge instanceof Uint8Array) || challenge.length === 0) throw new RangeError('the challenge must be non-empty bytes');
  const channel = channelOf(card);
  const start = channel.exchanges;
  const jpki = new JpkiClient(channel);
  const certificate = await jpki.readCertificate('auth');
  await jpki.verifyPin('auth', pin, options);
  const signature = await jpki.signSha256('auth', challenge);
  return { certificate, signature, exchanges: channel.exchanges - start };
}

/**
 * Reads the basic four items with the card-information PIN (identity-verification devices do
 * this to register a person on the spot). Never reads the My Number.
 *
 * @throws {InvalidPinFormat | WrongPin | LastTryRefused | PinLocked | NotAMyNumberCard | CardRemoved}
 * @example
 * ```ts
 * const { basicFour } = await readBasicFour(transport, '1234');
 * ```
 */
export async function readBasicFour(card: CardTransport | CardChannel, pin: string, options: VerifyPinOptions = {}): Promise<ReadBasicFourResult> {
  const channel = channelOf(card);
  const start = channel.exchanges;
  const info = new CardInfoClient(channel);
  await info.verifyPin(pin, options);
  const basicFour = await info.readBasicFour();
  return { basicFour, exchanges: channel.exchanges - start };
}

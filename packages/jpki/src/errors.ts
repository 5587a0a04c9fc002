/**
 * Every failure this package reports is one of the classes below. Each has a stable `code`
 * (static and on the instance), an English `message`, and `messages()` with the Japanese and
 * English text a kiosk shows to the resident.
 *
 * @example
 * ```ts
 * try {
 *   await client.verifyPin('auth', pin);
 * } catch (err) {
 *   if (!isJpkiError(err)) throw err;
 *   switch (err.code) {
 *     case 'ERR_JPKI_WRONG_PIN': show(err.messages().ja, err.triesLeft); break;
 *     case 'ERR_JPKI_PIN_LOCKED': sendToCounter(); break;
 *     default: show(err.messages().ja);
 *   }
 * }
 * ```
 * @module
 */

/**
 * Which PIN of the card a PIN error is about.
 *
 * @example
 * ```ts
 * const kind: PinKind = 'cardInfo';
 * ```
 */
export type PinKind = 'auth' | 'sign' | 'cardInfo';

/**
 * A message in the two languages kiosk screens use.
 *
 * @example
 * ```ts
 * const { ja, en }: LocalizedMessage = err.messages();
 * ```
 */
export interface LocalizedMessage {
  readonly ja: string;
  readonly en: string;
}

/**
 * Options every error accepts.
 *
 * @example
 * ```ts
 * new CardRemoved({ cause: pcscError });
 * ```
 */
export interface JpkiErrorOptions {
  /** The lower-level error (transport, parser) that led to this one. */
  cause?: unknown;
}

const PIN_LABEL: Record<PinKind, LocalizedMessage> = {
  auth: { ja: '利用者証明用電子証明書の暗証番号（数字4桁）', en: 'user-authentication PIN (4 digits)' },
  sign: { ja: '署名用電子証明書の暗証番号（英数字6〜16桁）', en: 'signing password (6 to 16 capital letters and digits)' },
  cardInfo: { ja: '券面事項入力補助用の暗証番号（数字4桁）', en: 'card-information PIN (4 digits)' },
};

/**
 * A short, capital-hex rendering of a status word, e.g. `6A82`.
 *
 * @example
 * ```ts
 * swHex(0x6a82); // '6A82'
 * ```
 */
export function swHex(sw: number): string {
  return (sw & 0xffff).toString(16).toUpperCase().padStart(4, '0');
}

/**
 * Base class of every error of this package. Never thrown itself; catch it (or use
 * {@link isJpkiError}) and switch on `code`.
 *
 * @example
 * ```ts
 * if (err instanceof JpkiError) console.log(err.code, err.messages().ja);
 * ```
 */
export abstract class JpkiError extends Error {
  /** Prefix shared by every code of this package. */
  static readonly code: string = 'ERR_JPKI';
  /** Stable machine-readable code, one per subclass. */
  abstract readonly code: JpkiErrorCode;
  readonly #messages: LocalizedMessage;

  protected constructor(messages: LocalizedMessage, options?: JpkiErrorOptions) {
    super(messages.en, options?.cause === undefined ? undefined : { cause: options.cause });
    this.#messages = messages;
    this.name = new.target.name;
  }

  /**
   * The message in Japanese and English, for a resident-facing screen.
   *
   * @example
   * ```ts
   * new CardRemoved().messages().ja; // 'カードが離れました。…'
   * ```
   */
  messages(): LocalizedMessage {
    return { ...this.#messages };
  }
}

/**
 * The PIN was wrong; the card still allows `triesLeft` (≥ 1) attempts.
 *
 * @example
 * ```ts
 * if (err instanceof WrongPin) show(`残り${err.triesLeft}回`);
 * ```
 */
export class WrongPin extends JpkiError {
  static override readonly code = 'ERR_JPKI_WRONG_PIN' as const;
  override readonly code = WrongPin.code;
  readonly triesLeft: number;
  readonly pin: PinKind | undefined;

  constructor(args: { triesLeft: number; pin?: PinKind }, options?: JpkiErrorOptions) {
    const label = args.pin ? PIN_LABEL[args.pin] : { ja: '暗証番号', en: 'PIN' };
    super({
      ja: `${label.ja}が違います。あと${args.triesLeft}回間違えるとロックされます。`,
      en: `Wrong ${label.en}. ${args.triesLeft} ${args.triesLeft === 1 ? 'try' : 'tries'} left before it locks.`,
    }, options);
    this.triesLeft = args.triesLeft;
    this.pin = args.pin;
  }
}

/**
 * The PIN is locked (no tries left); only the municipal office can reset it.
 *
 * @example
 * ```ts
 * if (err instanceof PinLocked) show(err.messages().ja);
 * ```
 */
export class PinLocked extends JpkiError {
  static override readonly code = 'ERR_JPKI_PIN_LOCKED' as const;
  override readonly code = PinLocked.code;
  readonly pin: PinKind | undefined;

  constructor(args: { pin?: PinKind } = {}, options?: JpkiErrorOptions) {
    const label = args.pin ? PIN_LABEL[args.pin] : { ja: '暗証番号', en: 'PIN' };
    super({
      ja: `${label.ja}がロックされています。お住まいの市区町村の窓口で再設定してください。`,
      en: `The ${label.en} is locked. It can be reset at the municipal office.`,
    }, options);
    this.pin = args.pin;
  }
}

/**
 * The PIN was NOT sent: only one try remains and the caller did not pass `allowLastTry`.
 * Sending a wrong PIN now would lock the card, so the kiosk should ask the resident to confirm
 * (or go to the counter) first.
 *
 * @example
 * ```ts
 * catch (err) { if (err instanceof LastTryRefused) askToConfirm(); }
 * ```
 */
export class LastTryRefused extends JpkiError {
  static override readonly code = 'ERR_JPKI_LAST_TRY_REFUSED' as const;
  override readonly code = LastTryRefused.code;
  readonly triesLeft = 1 as const;
  readonly pin: PinKind | undefined;

  constructor(args: { pin?: PinKind } = {}, options?: JpkiErrorOptions) {
    const label = args.pin ? PIN_LABEL[args.pin] : { ja: '暗証番号', en: 'PIN' };
    super({
      ja: `${label.ja}は、あと1回間違えるとロックされます。確認のうえ、もう一度操作してください。`,
      en: `Only one try of the ${label.en} remains, so it was not sent to the card. Confirm before trying again.`,
    }, options);
    this.pin = args.pin;
  }
}

/**
 * The PIN given does not have the card's format (auth and card-info: 4 digits; sign: 6–16 of
 * A–Z and 0–9). Nothing was sent to the card.
 *
 * @example
 * ```ts
 * await client.verifyPin('auth', '12a4'); // throws InvalidPinFormat
 * ```
 */
export class InvalidPinFormat extends JpkiError {
  static override readonly code = 'ERR_JPKI_INVALID_PIN_FORMAT' as const;
  override readonly code = InvalidPinFormat.code;
  readonly pin: PinKind;

  constructor(args: { pin: PinKind }, options?: JpkiErrorOptions) {
    const label = PIN_LABEL[args.pin];
    super({ ja: `${label.ja}の形式が正しくありません。`, en: `The ${label.en} has the wrong format.` }, options);
    this.pin = args.pin;
  }
}

/**
 * The card does not answer as a My Number Card (the JPKI application is missing, or its token
 * is not `JPKIAPICCTOKEN…`).
 *
 * @example
 * ```ts
 * catch (err) { if (err instanceof NotAMyNumberCard) show(err.messages().ja); }
 * ```
 */
export class NotAMyNumberCard extends JpkiError {
  static override readonly code = 'ERR_JPKI_NOT_A_MY_NUMBER_CARD' as const;
  override readonly code = NotAMyNumberCard.code;

  constructor(options?: JpkiErrorOptions) {
    super({ ja: 'マイナンバーカードではないカードです。マイナンバーカードをかざしてください。', en: 'This is not a My Number Card.' }, options);
  }
}

/**
 * The card left the reader (or was reset by someone else) during an operation.
 *
 * @example
 * ```ts
 * catch (err) { if (err instanceof CardRemoved) show(err.messages().ja); }
 * ```
 */
export class CardRemoved extends JpkiError {
  static override readonly code = 'ERR_JPKI_CARD_REMOVED' as const;
  override readonly code = CardRemoved.code;

  constructor(options?: JpkiErrorOptions) {
    super({ ja: 'カードが離れました。もう一度カードをかざしてください。', en: 'The card was removed. Place it on the reader again.' }, options);
  }
}

/**
 * The reader cannot be used (none attached, PC/SC service down, driver error). `hint` is a
 * technical detail for staff, e.g. `pcscd is not running`.
 *
 * @example
 * ```ts
 * throw new ReaderUnavailable({ hint: 'no reader attached' });
 * ```
 */
export class ReaderUnavailable extends JpkiError {
  static override readonly code = 'ERR_JPKI_READER_UNAVAILABLE' as const;
  override readonly code = ReaderUnavailable.code;
  readonly hint: string | undefined;

  constructor(args: { hint?: string } = {}, options?: JpkiErrorOptions) {
    const detail = args.hint ? ` (${args.hint})` : '';
    super({ ja: `カードリーダーが使えません。係員にお知らせください。${detail}`, en: `The card reader is not available.${detail}` }, options);
    this.hint = args.hint;
  }
}

/**
 * The card (or a file on it) sent bytes that do not parse: a response shorter than its status
 * word, a broken TLV, a certificate that is not DER.
 *
 * @example
 * ```ts
 * parseResponse(Uint8Array.of(0x90)); // throws MalformedResponse
 * ```
 */
export class MalformedResponse extends JpkiError {
  static override readonly code = 'ERR_JPKI_MALFORMED_RESPONSE' as const;
  override readonly code = MalformedResponse.code;
  /** What was wrong, in English, for logs. */
  readonly detail: string;

  constructor(detail: string, options?: JpkiErrorOptions) {
    super({ ja: 'カードから正しくない応答がありました。もう一度カードをかざしてください。', en: `The card sent a malformed response: ${detail}.` }, options);
    this.detail = detail;
  }
}

/**
 * The card answered with a status word the operation did not expect (e.g. `6A82` file not
 * found).
 *
 * @example
 * ```ts
 * if (err instanceof CardStatusError && err.sw === SW.FILE_NOT_FOUND) …
 * ```
 */
export class CardStatusError extends JpkiError {
  static override readonly code = 'ERR_JPKI_CARD_STATUS' as const;
  override readonly code = CardStatusError.code;
  readonly sw: number;

  constructor(sw: number, options?: JpkiErrorOptions) {
    super({ ja: `カードがエラーを返しました（${swHex(sw)}）。`, en: `The card returned status ${swHex(sw)}.` }, options);
    this.sw = sw;
  }
}

/**
 * The card refused (`6982`): the operation needs a PIN that has not been verified in this
 * session (reading the signing certificate, signing).
 *
 * @example
 * ```ts
 * await client.sign('auth', digestInfo); // without verifyPin first: throws SecurityStatusNotSatisfied
 * ```
 */
export class SecurityStatusNotSatisfied extends JpkiError {
  static override readonly code = 'ERR_JPKI_SECURITY_STATUS_NOT_SATISFIED' as const;
  override readonly code = SecurityStatusNotSatisfied.code;

  constructor(options?: JpkiErrorOptions) {
    super({ ja: '暗証番号の確認が済んでいないため、カードが操作を受け付けませんでした。', en: 'The card refused the operation: the PIN has not been verified.' }, options);
  }
}

/**
 * Any concrete error of this package; `switch (err.code)` narrows it to the class.
 *
 * @example
 * ```ts
 * function retryable(err: KnownJpkiError): boolean {
 *   return err.code === 'ERR_JPKI_CARD_REMOVED' || err.code === 'ERR_JPKI_WRONG_PIN';
 * }
 * ```
 */
export type KnownJpkiError =
  | WrongPin
  | PinLocked
  | LastTryRefused
  | InvalidPinFormat
  | NotAMyNumberCard
  | CardRemoved
  | ReaderUnavailable
  | MalformedResponse
  | CardStatusError
  | SecurityStatusNotSatisfied;

/**
 * The union of every error code of this package.
 *
 * @example
 * ```ts
 * const code: JpkiErrorCode = 'ERR_JPKI_PIN_LOCKED';
 * ```
 */
export type JpkiErrorCode = KnownJpkiError['code'];

/**
 * Every error class, keyed by its code (for docs, tests and mapping tables).
 *
 * @example
 * ```ts
 * Object.keys(JPKI_ERRORS); // ['ERR_JPKI_WRONG_PIN', …]
 * ```
 */
export const JPKI_ERRORS = {
  [WrongPin.code]: WrongPin,
  [PinLocked.code]: PinLocked,
  [LastTryRefused.code]: LastTryRefused,
  [InvalidPinFormat.code]: InvalidPinFormat,
  [NotAMyNumberCard.code]: NotAMyNumberCard,
  [CardRemoved.code]: CardRemoved,
  [ReaderUnavailable.code]: ReaderUnavailable,
  [MalformedResponse.code]: MalformedResponse,
  [CardStatusError.code]: CardStatusError,
  [SecurityStatusNotSatisfied.code]: SecurityStatusNotSatisfied,
} as const satisfies { [C in JpkiErrorCode]: abstract new (...args: never[]) => Extract<KnownJpkiError, { code: C }> };

/**
 * Whether `value` is an error of this package, narrowed to the union so `switch (err.code)` works.
 *
 * @example
 * ```ts
 * catch (err) { if (isJpkiError(err) && err.code === 'ERR_JPKI_WRONG_PIN') console.log(err.triesLeft); }
 * ```
 */
export function isJpkiError(value: unknown): value is KnownJpkiError {
  return value instanceof JpkiError;
}

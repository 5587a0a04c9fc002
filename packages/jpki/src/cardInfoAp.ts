/**
 * The card-information input support application (券面事項入力補助AP) of the My Number Card,
 * limited on purpose to its PIN (EF 0011) and the basic four items (基本4情報, EF 0002).
 *
 * Its EF 0001 holds the resident's My Number (個人番号), whose collection the law restricts.
 * This client has no way to select or read it: it only ever addresses EF 0002 and EF 0011, and
 * {@link CardInfoClient} checks that before every command it sends.
 *
 * @example
 * ```ts
 * const info = new CardInfoClient(transport);
 * await info.verifyPin('1234');
 * const { name, address, birthDate, sex } = await info.readBasicFour();
 * ```
 * @module
 */
import { SW } from './apdu.js';
import { CardChannel, errorForStatus } from './channel.js';
import { InvalidPinFormat, MalformedResponse, NotAMyNumberCard } from './errors.js';
import { isValidPin, queryPinTries, verifyPinOnCard, type VerifyPinOptions } from './jpkiAp.js';
import { findTlv, parseTlv, type Tlv } from './tlv.js';
import type { CardTransport } from './transport.js';

/**
 * AID of the card-information input support application, `D3 92 10 00 31 00 01 01 04 08`.
 *
 * @example
 * ```ts
 * await channel.selectAid(CARD_INFO_AID);
 * ```
 */
export const CARD_INFO_AID: Uint8Array<ArrayBuffer> = Uint8Array.of(0xd3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08);
const CARD_INFO_AID_HEX = Buffer.from(CARD_INFO_AID).toString('hex').toUpperCase();

/** The only EFs of this application the client may address. EF 0001 (My Number) is not one. */
const EF_BASIC_FOUR = 0x0002;
const EF_PIN = 0x0011;
const ALLOWED_EFS: ReadonlySet<number> = new Set([EF_BASIC_FOUR, EF_PIN]);

/**
 * The basic four items (基本4情報) as printed on the card.
 *
 * @example
 * ```ts
 * const person: BasicFour = { name: '山田 花子', address: '兵庫県養父市八鹿町八鹿1675', birthDate: '1980-04-01', sex: 'female' };
 * ```
 */
export interface BasicFour {
  /** 氏名 */
  name: string;
  /** 住所 */
  address: string;
  /** 生年月日, `YYYY-MM-DD`. */
  birthDate: string;
  /** 性別: card code `1` male, `2` female, `9` other (not applicable). */
  sex: 'male' | 'female' | 'other';
}

const SEX_CODES: Record<string, BasicFour['sex']> = { '1': 'male', '2': 'female', '9': 'other' };

/**
 * Tags of the basic-four EF: `FF 20 L { DF21 header, DF22 name, DF23 address, DF24 birth date, DF25 sex }`.
 *
 * @example
 * ```ts
 * findTlv(children, BASIC_FOUR_TAGS.name);
 * ```
 */
export const BASIC_FOUR_TAGS = { template: 0xff20, header: 0xdf21, name: 0xdf22, address: 0xdf23, birthDate: 0xdf24, sex: 0xdf25 } as const;

function text(children: readonly Tlv[], tag: number, what: string): string {
  const item = findTlv(children, tag);
  if (!item) throw new MalformedResponse(`basic four: no ${what}`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(item.value).replace(/\0+$/, '');
  } catch (err) {
    throw new MalformedResponse(`basic four: ${what} is not UTF-8`, { cause: err });
  }
}

/**
 * Parses the contents of EF 0002 (trailing padding allowed).
 *
 * @throws {MalformedResponse} when the TLV, a field, the date or the sex code is invalid.
 * @example
 * ```ts
 * parseBasicFour(ef0002).birthDate; // '1980-04-01'
 * ```
 */
export function parseBasicFour(ef: Uint8Array): BasicFour {
  const template = parseTlv(ef, 0);
  if (template.tag !== BASIC_FOUR_TAGS.template || !template.children) throw new MalformedResponse('basic four: EF 0002 does not start with FF 20');
  const c = template.children;
  const birth = text(c, BASIC_FOUR_TAGS.birthDate, 'birth date');
  const m = /^([0-9]{4})([0-9]{2})([0-9]{2})$/.exec(birth);
  if (!m) throw new MalformedResponse('basic four: birth date is not YYYYMMDD');
  const sex = SEX_CODES[text(c, BASIC_FOUR_TAGS.sex, 'sex')];
  if (!sex) throw new MalformedResponse('basic four: unknown sex code');
  return { name: text(c, BASIC_FOUR_TAGS.name, 'name'), address: text(c, BASIC_FOUR_TAGS.address, 'address'), birthDate: `${m[1]}-${m[2]}-${m[3]}`, sex };
}

/**
 * Client of the card-information input support application: PIN and basic four only.
 *
 * @example
 * ```ts
 * const info = new CardInfoClient(transport);
 * if ((await info.pinTriesLeft()) > 1) await info.verifyPin(pin);
 * const basicFour = await info.readBasicFour();
 * ```
 */
export class CardInfoClient {
  readonly channel: CardChannel;

  constructor(card: CardTransport | CardChannel) {
    this.channel = card instanceof CardChannel ? card : new CardChannel(card);
  }

  /**
   * Selects the application unless it is already selected on this channel.
   *
   * @throws {NotAMyNumberCard} when the card has no such application.
   * @example
   * ```ts
   * await info.select();
   * ```
   */
  async select(): Promise<void> {
    if (this.channel.selectedAid === CARD_INFO_AID_HEX) return;
    const { sw } = await this.channel.selectAid(CARD_INFO_AID);
    if (sw !== SW.OK) throw new NotAMyNumberCard({ cause: errorForStatus(sw) });
  }

  // Every EF this client touches goes through here: a guard against ever addressing EF 0001.
  #ef(fid: number): number {
    if (!ALLOWED_EFS.has(fid)) throw new Error(`CardInfoClient never addresses EF ${fid.toString(16).padStart(4, '0')}`);
    return fid;
  }

  /**
   * Tries left of the card-information PIN (3 max), without spending one. 0 means locked.
   *
   * @example
   * ```ts
   * await info.pinTriesLeft(); // 3
   * ```
   */
  async pinTriesLeft(): Promise<number> {
    await this.select();
    return queryPinTries(this.channel, this.#ef(EF_PIN), 'cardInfo');
  }

  /**
   * Verifies the 4-digit card-information PIN; refuses to spend the last try unless allowed.
   *
   * @throws {InvalidPinFormat | PinLocked | LastTryRefused | WrongPin}
   * @example
   * ```ts
   * await info.verifyPin('1234', { allowLastTry: true });
   * ```
   */
  async verifyPin(pin: string, options: VerifyPinOptions = {}): Promise<void> {
    if (!isValidPin('cardInfo', pin)) throw new InvalidPinFormat({ pin: 'cardInfo' });
    await this.select();
    await verifyPinOnCard(this.channel, this.#ef(EF_PIN), 'cardInfo', pin, options);
  }

  /**
   * Reads and parses the basic four items (EF 0002; needs the PIN verified on this channel).
   *
   * @throws {SecurityStatusNotSatisfied} without the PIN; {@link MalformedResponse} on bad data.
   * @example
   * ```ts
   * const { name, address, birthDate, sex } = await info.readBasicFour();
   * ```
   */
  async readBasicFour(): Promise<BasicFour> {
    await this.select();
    return parseBasicFour(await this.channel.readEf(this.#ef(EF_BASIC_FOUR)));
  }
}

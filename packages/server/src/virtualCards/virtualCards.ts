// Virtual My Number Cards for the demo and for tests: issuing card files from the demo test CA,
// the demo residents' cards, and where card files and `card insert` pid files live.
//
// A card file holds private keys and PINs in clear: it is a TEST DOUBLE (see
// @kazashi/jpki/virtual cardFile.ts), never a real resident's data, and it holds no My Number.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { VirtualMyNumberCard } from '@kazashi/jpki/virtual';
import type { Config } from '../config.js';
import { DEMO_RESIDENTS } from '../resident/index.js';
import { loadDemoTestCa, saveDemoTestCa } from '../identity/index.js';

export type Sex = 'male' | 'female' | 'other';
export const SEXES: readonly Sex[] = ['male', 'female', 'other'];

type CardConfig = Pick<Config, 'dataDir' | 'production'>;

export class VirtualCardRefused extends Error {
  constructor(what: string) {
    super(`${what} is refused when NODE_ENV=production: virtual cards and the demo test CA are for tests and the demo only`);
    this.name = 'VirtualCardRefused';
  }
}

export function cardsDir(config: Pick<Config, 'dataDir'>): string {
  return path.join(config.dataDir, 'cards');
}

export interface IssueInput {
  name: string;
  address: string;
  birthDate: string;
  sex: Sex;
  authPin: string;
  signPin?: string;
  cardInfoPin?: string;
}

export interface IssuedCardFile {
  file: string;
  card: VirtualMyNumberCard;
  signPin: string;
  authSerial: string;
}

/** A random signing password of the card's format (8 of A–Z, 0–9). */
export function randomSignPin(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return [...crypto.randomBytes(8)].map((b) => alphabet[b % alphabet.length]).join('');
}

function checkInput(input: IssueInput): void {
  if (!input.name.trim()) throw new Error('--name must not be empty');
  if (!input.address.trim()) throw new Error('--address must not be empty');
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input.birthDate);
  const d = m ? new Date(`${input.birthDate}T00:00:00Z`) : undefined;
  if (!m || !d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== input.birthDate) throw new Error(`--birth must be a date YYYY-MM-DD, not "${input.birthDate}"`);
  if (!SEXES.includes(input.sex)) throw new Error(`--sex must be one of ${SEXES.join(', ')}`);
  if (!/^\d{4}$/.test(input.authPin)) throw new Error('--pin must be 4 digits');
  if (input.signPin !== undefined && !/^[A-Z0-9]{6,16}$/.test(input.signPin)) throw new Error('--sign-pin must be 6 to 16 of A-Z and 0-9');
  if (input.cardInfoPin !== undefined && !/^\d{4}$/.test(input.cardInfoPin)) throw new Error('--card-info-pin must be 4 digits');
}

function authSerialOf(card: VirtualMyNumberCard): string {
  return new crypto.X509Certificate(card.certificate('auth')).serialNumber.toLowerCase();
}

/** Writes a card file (mode 0600: it holds private keys); refuses to overwrite unless `force`. */
function writeCardFile(file: string, card: VirtualMyNumberCard, force: boolean): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, card.toFile(), { mode: 0o600, flag: force ? 'w' : 'wx' });
}

/** Issues a virtual card from the demo test CA and writes its card file. */
export async function issueCardFile(config: CardConfig, input: IssueInput, options: { out?: string; force?: boolean } = {}): Promise<IssuedCardFile> {
  if (config.production) throw new VirtualCardRefused('issuing a virtual card');
  checkInput(input);
  const ca = await loadDemoTestCa(config);
  const signPin = input.signPin ?? randomSignPin();
  const card = await VirtualMyNumberCard.issue(ca, {
    name: input.name, address: input.address, birthDate: input.birthDate, sex: input.sex,
    authPin: input.authPin, signPin, ...(input.cardInfoPin ? { cardInfoPin: input.cardInfoPin } : {}),
  });
  const authSerial = authSerialOf(card);
  const file = path.resolve(options.out ?? path.join(cardsDir(config), `card-${authSerial}.json`));
  try {
    writeCardFile(file, card, options.force ?? false);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`${file} exists; pass --force to overwrite it`, { cause: err });
    throw err;
  }
  return { file, card, signPin, authSerial };
}

/** PINs of every demo card. */
export const DEMO_CARD_PIN = '1234';
export const DEMO_CARD_SIGN_PIN = 'DEMO1234';

const SEX_CODE: Record<string, Sex> = { '1': 'male', '2': 'female', '9': 'other' };

export interface DemoCard {
  municipalityCode: string;
  file: string;
  name: string;
  authSerial: string;
  /** false when the file existed and was kept. */
  issued: boolean;
}

/**
 * A card file per demo resident (the fictional basic four of demo/seed.ts), in the cards directory
 * as `<municipality code>-<n>.json`, PIN 1234. Existing files are kept unless `force`. Reads no
 * vault: the values are the seed's constants.
 */
export async function issueDemoCards(config: CardConfig, options: { force?: boolean } = {}): Promise<DemoCard[]> {
  if (config.production) throw new VirtualCardRefused('issuing the demo cards');
  const out: DemoCard[] = [];
  for (const [municipalityCode, residents] of Object.entries(DEMO_RESIDENTS)) {
    for (const [i, r] of residents.entries()) {
      const file = path.join(cardsDir(config), `${municipalityCode}-${i + 1}.json`);
      if (!options.force && fs.existsSync(file)) {
        const card = VirtualMyNumberCard.fromFile(fs.readFileSync(file, 'utf8'));
        out.push({ municipalityCode, file, name: card.holder.name, authSerial: authSerialOf(card), issued: false });
        continue;
      }
      const sex = SEX_CODE[r.sex];
      if (!sex) throw new Error(`demo resident ${r.nameKanji}: unknown sex code ${r.sex}`);
      const issued = await issueCardFile(config, {
        name: r.nameKanji, address: r.address, birthDate: r.birthDate, sex, authPin: DEMO_CARD_PIN, signPin: DEMO_CARD_SIGN_PIN,
      }, { out: file, force: true });
      out.push({ municipalityCode, file, name: r.nameKanji, authSerial: issued.authSerial, issued: true });
    }
  }
  return out;
}

/** The demo CA's certificates. */
export async function demoCaCertificates(config: CardConfig): Promise<{ use: 'auth' | 'sign'; pem: string; cert: crypto.X509Certificate }[]> {
  if (config.production) throw new VirtualCardRefused('the demo test CA');
  const ca = await loadDemoTestCa(config);
  return (['auth', 'sign'] as const).map((use) => {
    const pem = ca.caCertificatePem(use);
    return { use, pem: pem.endsWith('\n') ? pem : `${pem}\n`, cert: new crypto.X509Certificate(pem) };
  });
}

/**
 * Revokes a card's certificates at the demo test CA (as J-LIS does when a holder's name or address
 * changes): both serials go into the CA's next CRL, which the demo server's revocation checker reads.
 */
export async function revokeCardFile(config: CardConfig, file: string): Promise<{ auth: string; sign: string }> {
  if (config.production) throw new VirtualCardRefused('revoking a virtual card');
  const card = VirtualMyNumberCard.fromFile(fs.readFileSync(file, 'utf8'));
  const ca = await loadDemoTestCa(config);
  const serial = (use: 'auth' | 'sign') => new crypto.X509Certificate(card.certificate(use)).serialNumber.toLowerCase();
  const issuedHere = (use: 'auth' | 'sign') => new crypto.X509Certificate(card.certificate(use)).verify(new crypto.X509Certificate(ca.caCertificatePem(use)).publicKey);
  if (!issuedHere('auth')) throw new Error(`${file} was not issued by the demo test CA at ${path.join(config.dataDir, 'keys', 'test-ca.json')}`);
  const serials = { auth: serial('auth'), sign: serial('sign') };
  ca.revoke('auth', serials.auth);
  if (issuedHere('sign')) ca.revoke('sign', serials.sign);
  await saveDemoTestCa(config, ca);
  return serials;
}

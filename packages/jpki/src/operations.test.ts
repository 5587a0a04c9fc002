import crypto from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { CommandApdu, SW, responseBytes } from './apdu.js';
import { CardInfoClient } from './cardInfoAp.js';
import { CardChannel } from './channel.js';
import {
  CardRemoved,
  InvalidPinFormat,
  LastTryRefused,
  MalformedResponse,
  NotAMyNumberCard,
  PinLocked,
  SecurityStatusNotSatisfied,
  WrongPin,
  isJpkiError,
} from './errors.js';
import { JpkiClient, sha256DigestInfo } from './jpkiAp.js';
import { authenticate, identify, readBasicFour } from './operations.js';
import { MemoryTransport } from './transports/memory.js';
import { TestCa } from './virtual/ca.js';
import { VirtualMyNumberCard } from './virtual/card.js';
import { x509 } from './x509.js';

const HOLDER = {
  name: '養父　花子',
  address: '兵庫県養父市八鹿町八鹿１６７５番地',
  birthDate: '1985-02-28',
  sex: 'female',
  authPin: '1234',
  signPin: 'KAZASHI2025',
  cardInfoPin: '5678',
} as const;

let ca: TestCa;
let master: string;
/** A fresh card (full PIN counters) from the same issued keys. */
const freshCard = (options: { t0?: boolean } = {}) => VirtualMyNumberCard.fromFile(master, options);

beforeAll(async () => {
  ca = await TestCa.create();
  master = (await VirtualMyNumberCard.issue(ca, HOLDER)).toFile();
});

function publicKeyOf(der: Uint8Array<ArrayBuffer>): crypto.KeyObject {
  const cert = new x509.X509Certificate(der);
  return crypto.createPublicKey({ key: Buffer.from(cert.publicKey.rawData), format: 'der', type: 'spki' });
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex').toUpperCase();
}

/** A transport that records every command. */
function spied(card: VirtualMyNumberCard, extendedLength: boolean) {
  const sent: Uint8Array[] = [];
  const transport = new MemoryTransport(card, { extendedLength, onTransmit: (c) => sent.push(c) });
  return { transport, sent };
}

describe('identify', () => {
  it('reads the auth certificate in 3 exchanges with extended length', async () => {
    const card = freshCard();
    const { transport, sent } = spied(card, true);
    const result = await identify(transport);
    expect(Buffer.from(result.authCertificate).equals(Buffer.from(card.certificate('auth')))).toBe(true);
    expect(result.authCaCertificate).toBeUndefined();
    expect(result.exchanges).toBe(3);
    expect(sent.map(hex)).toEqual([
      '00A4040C0AD392F000260100000001', // SELECT JPKI AP
      '00B0860020', // READ BINARY token by SFI 06, Le 32
      '00B08A00000000', // READ BINARY EF 000A by SFI 0A, extended Le 0000
    ]);
    const cert = new x509.X509Certificate(result.authCertificate);
    expect(await cert.verify({ publicKey: new x509.X509Certificate(ca.caCertificate('auth')).publicKey, signatureOnly: true })).toBe(true);
  });

  it('takes more exchanges without extended length (256-byte chunks)', async () => {
    const card = freshCard();
    const { transport, sent } = spied(card, false);
    const result = await identify(transport);
    expect(Buffer.from(result.authCertificate).equals(Buffer.from(card.certificate('auth')))).toBe(true);
    const chunks = Math.ceil(result.authCertificate.length / 256);
    expect(chunks).toBe(4); // a test-CA auth certificate is ~860 bytes (a J-LIS one ~1,400–1,500)
    expect(result.exchanges).toBe(6);
    expect(sent.every((c) => !CommandApdu.usesExtendedLength(c))).toBe(true);
    expect(hex(sent[2]!)).toBe('00B08A0000');
    expect(hex(sent[3]!)).toBe('00B0010000');
  });

  it('also reads the CA certificate when asked', async () => {
    const { transport } = spied(freshCard(), true);
    const result = await identify(transport, { includeCaCertificate: true });
    expect(Buffer.from(result.authCaCertificate!).equals(Buffer.from(ca.caCertificate('auth')))).toBe(true);
    expect(result.exchanges).toBe(4);
  });

  it('works over T=0 (61xx / 6Cxx) and counts the extra exchanges', async () => {
    const card = freshCard({ t0: true });
    const result = await identify(new MemoryTransport(card, { extendedLength: false }));
    expect(Buffer.from(result.authCertificate).equals(Buffer.from(card.certificate('auth')))).toBe(true);
    // the EF is padded past the certificate, so every Le is exactly available: no 6Cxx here
    expect(result.exchanges).toBe(2 + Math.ceil(result.authCertificate.length / 256));
  });
});

describe('authenticate', () => {
  it('signs the SHA-256 DigestInfo of the challenge with the auth key', async () => {
    const card = freshCard();
    const challenge = crypto.randomBytes(32);
    const { transport, sent } = spied(card, true);
    const result = await authenticate(transport, challenge, HOLDER.authPin);
    expect(crypto.verify('sha256', challenge, publicKeyOf(result.certificate), result.signature)).toBe(true);
    expect(Buffer.from(result.certificate).equals(Buffer.from(card.certificate('auth')))).toBe(true);
    expect(result.exchanges).toBe(8);
    expect(sent.map(hex).slice(3)).toEqual([
      '00A4020C020018', // SELECT auth PIN EF
      '00200080', // VERIFY without data: tries left
      `0020008004${hex(Buffer.from(HOLDER.authPin))}`,
      '00A4020C020017', // SELECT auth key EF
      `802A008033${hex(sha256DigestInfo(challenge))}00`,
    ]);
    expect(card.pinTriesLeft('auth')).toBe(3);
  });

  it('counts exchanges without extended length and over T=0', async () => {
    const challenge = crypto.randomBytes(32);
    const short = await authenticate(new MemoryTransport(freshCard(), { extendedLength: false }), challenge, HOLDER.authPin);
    expect(short.exchanges).toBe(7 + Math.ceil(short.certificate.length / 256)); // 11 with a 4-chunk certificate
    expect(short.exchanges).toBe(11);
    const t0 = await authenticate(new MemoryTransport(freshCard({ t0: true })), challenge, HOLDER.authPin);
    expect(t0.exchanges).toBe(12); // the signature comes by GET RESPONSE
    expect(crypto.verify('sha256', challenge, publicKeyOf(t0.certificate), t0.signature)).toBe(true);
  });

  it('refuses the last try without sending the PIN, then locks when the caller allows it', async () => {
    const card = freshCard();
    const { transport, sent } = spied(card, true);
    const channel = new CardChannel(transport);
    const challenge = crypto.randomBytes(16);

    await expect(authenticate(channel, challenge, '0000')).rejects.toMatchObject({ code: 'ERR_JPKI_WRONG_PIN', triesLeft: 2 });
    const second = await authenticate(channel, challenge, '0000').catch((e: unknown) => e);
    expect(second).toBeInstanceOf(WrongPin);
    expect((second as WrongPin).triesLeft).toBe(1);

    const verifiesWithData = () => sent.filter((c) => c[1] === 0x20 && c.length > 4).length;
    const before = verifiesWithData();
    const refused = await authenticate(channel, challenge, HOLDER.authPin).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LastTryRefused);
    expect((refused as LastTryRefused).triesLeft).toBe(1);
    expect(verifiesWithData()).toBe(before); // the PIN was not sent
    expect(card.pinTriesLeft('auth')).toBe(1);

    await expect(authenticate(channel, challenge, '0000', { allowLastTry: true })).rejects.toBeInstanceOf(PinLocked);
    expect(card.pinTriesLeft('auth')).toBe(0);
    const sentBefore = verifiesWithData();
    await expect(authenticate(channel, challenge, HOLDER.authPin, { allowLastTry: true })).rejects.toBeInstanceOf(PinLocked);
    expect(verifiesWithData()).toBe(sentBefore);
    expect(await new JpkiClient(channel).pinTriesLeft('auth')).toBe(0);
  });

  it('succeeds on the last try when allowed, and the counter is reset', async () => {
    const card = freshCard();
    const transport = new MemoryTransport(card, { extendedLength: true });
    await expect(authenticate(transport, Uint8Array.of(1), '1111')).rejects.toBeInstanceOf(WrongPin);
    await expect(authenticate(transport, Uint8Array.of(1), '1111')).rejects.toBeInstanceOf(WrongPin);
    const ok = await authenticate(transport, Uint8Array.of(1), HOLDER.authPin, { allowLastTry: true });
    expect(ok.signature.length).toBe(256);
    expect(card.pinTriesLeft('auth')).toBe(3);
  });

  it('rejects a badly formed PIN before any exchange', async () => {
    const { transport, sent } = spied(freshCard(), true);
    await expect(authenticate(transport, Uint8Array.of(1), '12345')).rejects.toBeInstanceOf(InvalidPinFormat);
    await expect(new JpkiClient(transport).verifyPin('sign', 'abc123')).rejects.toBeInstanceOf(InvalidPinFormat);
    expect(sent.filter((c) => c[1] === 0x20)).toHaveLength(0);
  });

  it('throws CardRemoved when the card leaves during the certificate read', async () => {
    const card = freshCard();
    let reads = 0;
    const transport = new MemoryTransport(card, {
      extendedLength: false,
      onTransmit: (c, t) => {
        if (c[1] === 0xb0 && c[2] !== 0x86 && ++reads === 2) t.remove();
      },
    });
    const err = await authenticate(transport, Uint8Array.of(1), HOLDER.authPin).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CardRemoved);
    expect(isJpkiError(err) && err.messages().ja).toContain('カード');
  });
});

describe('JpkiClient', () => {
  it('reads the signing certificate only after the sign PIN, and signs with the sign key', async () => {
    const card = freshCard();
    const jpki = new JpkiClient(new MemoryTransport(card, { extendedLength: true }));
    await expect(jpki.readCertificate('sign')).rejects.toBeInstanceOf(SecurityStatusNotSatisfied);
    await expect(jpki.signSha256('sign', Uint8Array.of(1, 2, 3))).rejects.toBeInstanceOf(SecurityStatusNotSatisfied);
    expect(await jpki.pinTriesLeft('sign')).toBe(5);
    await jpki.verifyPin('sign', HOLDER.signPin);
    const der = await jpki.readCertificate('sign');
    const cert = new x509.X509Certificate(der);
    expect(cert.subject).toContain(`CN=${HOLDER.name}`);
    const signature = await jpki.signSha256('sign', Uint8Array.of(1, 2, 3));
    expect(crypto.verify('sha256', Uint8Array.of(1, 2, 3), publicKeyOf(der), signature)).toBe(true);
    expect(Buffer.from(await jpki.readCertificate('signCa')).equals(Buffer.from(ca.caCertificate('sign')))).toBe(true);
    // the auth key still needs the auth PIN
    await expect(jpki.signSha256('auth', Uint8Array.of(1))).rejects.toBeInstanceOf(SecurityStatusNotSatisfied);
  });

  it('selects the application once per channel', async () => {
    const { transport, sent } = spied(freshCard(), true);
    const jpki = new JpkiClient(transport);
    await jpki.readCertificate('auth');
    await jpki.readCertificate('authCa');
    await jpki.pinTriesLeft('auth');
    await jpki.pinTriesLeft('auth');
    expect(sent.filter((c) => c[1] === 0xa4 && c[2] === 0x04)).toHaveLength(1);
    expect(sent.filter((c) => hex(c) === '00A4020C020018')).toHaveLength(1);
    expect(await jpki.select()).toBe('JPKIAPICCTOKEN2');
  });

  it('reports NotAMyNumberCard when the JPKI application is missing', async () => {
    const other = { process: () => responseBytes(SW.FILE_NOT_FOUND) };
    await expect(identify(new MemoryTransport(other))).rejects.toBeInstanceOf(NotAMyNumberCard);
  });

  it('reports NotAMyNumberCard when the token is wrong', async () => {
    const card = freshCard();
    const fake = {
      process: (apdu: Uint8Array) => (apdu[1] === 0xb0 && apdu[2] === 0x86 ? responseBytes(SW.OK, new TextEncoder().encode('SOMEOTHERTOKEN'.padEnd(32))) : card.process(apdu)),
    };
    await expect(identify(new MemoryTransport(fake, { extendedLength: true }))).rejects.toBeInstanceOf(NotAMyNumberCard);
  });

  it('reports MalformedResponse for a 1-byte response', async () => {
    const broken = { process: () => Uint8Array.of(0x90) };
    const err = await identify(new MemoryTransport(broken)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MalformedResponse);
  });

  it('falls back to SELECT + READ BINARY on a card without short EF identifiers', async () => {
    const card = freshCard();
    const noSfi = { process: (apdu: Uint8Array) => (apdu[1] === 0xb0 && apdu[2]! & 0x80 ? responseBytes(SW.INCORRECT_P1P2) : card.process(apdu)) };
    const { authCertificate, exchanges } = await identify(new MemoryTransport(noSfi, { extendedLength: true }));
    expect(Buffer.from(authCertificate).equals(Buffer.from(card.certificate('auth')))).toBe(true);
    // select AP, SFI refused, select 0006, read, select 000A, read (the card is not asked by SFI again)
    expect(exchanges).toBe(6);
  });
});

describe('readBasicFour', () => {
  it('reads the basic four items with the card-information PIN', async () => {
    const { transport } = spied(freshCard(), true);
    const { basicFour, exchanges } = await readBasicFour(transport, HOLDER.cardInfoPin);
    expect(basicFour).toEqual({ name: HOLDER.name, address: HOLDER.address, birthDate: HOLDER.birthDate, sex: 'female' });
    expect(exchanges).toBe(5);
    const short = await readBasicFour(new MemoryTransport(freshCard(), { extendedLength: false }), HOLDER.cardInfoPin);
    expect(short.exchanges).toBe(5);
  });

  it('needs the PIN, and a wrong one counts down', async () => {
    const card = freshCard();
    const info = new CardInfoClient(new MemoryTransport(card));
    await expect(info.readBasicFour()).rejects.toBeInstanceOf(SecurityStatusNotSatisfied);
    await expect(info.verifyPin('0000')).rejects.toMatchObject({ triesLeft: 2, pin: 'cardInfo' });
    expect(await info.pinTriesLeft()).toBe(2);
    expect(card.pinTriesLeft('auth')).toBe(3); // a separate counter
  });

  it('never addresses EF 0001 (My Number) of the card-information AP, in any operation', async () => {
    const card = freshCard();
    const log: { aid: string | undefined; command: string }[] = [];
    let aid: string | undefined;
    const transport = new MemoryTransport(card, {
      extendedLength: true,
      onTransmit: (c) => {
        const command = hex(c);
        if (c[1] === 0xa4 && c[2] === 0x04) aid = command.slice(10);
        log.push({ aid, command });
      },
    });
    const channel = new CardChannel(transport);
    const info = new CardInfoClient(channel);
    await info.pinTriesLeft();
    await expect(info.readBasicFour()).rejects.toBeInstanceOf(SecurityStatusNotSatisfied);
    await expect(info.verifyPin('9999')).rejects.toBeInstanceOf(WrongPin);
    await info.verifyPin(HOLDER.cardInfoPin);
    await info.readBasicFour();
    await info.readBasicFour();
    await readBasicFour(channel, HOLDER.cardInfoPin);
    await identify(channel); // switch to JPKI …
    await readBasicFour(channel, HOLDER.cardInfoPin); // … and back
    await readBasicFour(new MemoryTransport(freshCard(), { extendedLength: false, onTransmit: (c) => log.push({ aid: 'D3921000310001010408', command: hex(c) }) }), HOLDER.cardInfoPin);

    const inCardInfo = log.filter((l) => l.aid === 'D3921000310001010408');
    expect(inCardInfo.length).toBeGreaterThan(10);
    for (const { command } of inCardInfo) {
      expect(command).not.toBe('00A4020C020001'); // SELECT EF 0001
      expect(command.startsWith('00B081')).toBe(false); // READ BINARY by SFI 1
    }
  });
});

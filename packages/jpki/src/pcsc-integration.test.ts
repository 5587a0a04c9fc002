// The whole PC/SC path with a virtual card: VirtualMyNumberCard → vpcd link (TCP) → vsmartcard's
// vpcd driver → pcscd → libpcsclite → `smartcard` → PcscReaders/PcscTransport → the real clients.
//
// Needs root-started pcscd with vsmartcard-vpcd (started here if not running, see pcscHarness.ts).
// Without them the suite is skipped with a warning, unless CI=true, where it fails.
// Uses vpcd slot 0 (`Virtual PCD 00 00`); the server's `kazashi card` suite uses slot 1.
// KAZASHI_VPCD_QUICKACK=0 keeps the loopback routes as they are (to measure delayed-ACK latency).
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CardRemoved, LastTryRefused, ReaderUnavailable, WrongPin } from './errors.js';
import { authenticate, identify, readBasicFour } from './operations.js';
import { PcscReaders, type PcscReaderEvent, type PcscTransport } from './transports/pcsc.js';
import { TestCa } from './virtual/ca.js';
import { VirtualMyNumberCard } from './virtual/card.js';
import { lockPcsc } from './virtual/pcscLock.js';
import { ensureLoopbackQuickack, ensurePcscd, openPcscReaders, isVpcdReader, measure, plugVirtualCard, type PcscdState, type PluggedCard, type QuickackState } from './virtual/pcscHarness.js';
import type { VpcdCard } from './virtual/vpcd.js';

const SLOT = 0;

async function pcscAvailable(): Promise<PcscdState | undefined> {
  try {
    return await ensurePcscd({ log: (m) => console.log(`[pcscd] ${m}`) });
  } catch (err) {
    if (process.env.CI === 'true') throw err;
    console.warn(`PC/SC integration suite skipped: ${err instanceof ReaderUnavailable ? err.hint : String(err)} (set CI=true to fail instead)`);
    return undefined;
  }
}

const pcscd = await pcscAvailable();

describe.skipIf(!pcscd)('PC/SC integration: virtual My Number Card in vpcd slot 0', () => {
  const holder = { name: '養父 花子', address: '兵庫県養父市八鹿町八鹿1675番地の1', birthDate: '1948-04-12', sex: 'female' as const };
  let card: VirtualMyNumberCard;
  let readers: PcscReaders;
  let plugged: PluggedCard;
  let quickack: QuickackState;
  const events: string[] = [];
  /** Every command APDU that reached the card, as hex. */
  const apdus: string[] = [];
  /** Set by a test to pull the card when a given command arrives. */
  let pullWhen: ((apdu: Uint8Array) => boolean) | undefined;
  let readerName = '';

  const wrapped: VpcdCard = {
    get atr() { return card.atr; },
    reset: () => card.reset(),
    process: (apdu) => {
      apdus.push(Buffer.from(apdu).toString('hex'));
      if (pullWhen?.(apdu)) {
        pullWhen = undefined;
        void plugged.link.disconnect();
      }
      return card.process(apdu);
    },
  };

  const plug = async () => {
    // slot 0 is this suite's alone (card-agent's browser suite uses the second vpcd reader)
    plugged = await plugVirtualCard({ card: wrapped, slot: SLOT, readers, timeoutMs: 100_000 });
    readerName = plugged.readerName;
  };
  const connect = (extendedLength = true): Promise<PcscTransport> => readers.connect(readerName, { extendedLength });

  let releasePcsc: (() => void) | undefined;
  afterAll(() => releasePcsc?.()); // registered first: runs last, even if the other afterAll fails
  beforeAll(async () => {
    releasePcsc = await lockPcsc({ holder: '@kazashi/jpki PC/SC integration', log: console.log });
    quickack = ensureLoopbackQuickack({ set: process.env.KAZASHI_VPCD_QUICKACK !== '0' });
    console.log(`[pcsc] loopback quickack: ${quickack.detail}`);
    card = await VirtualMyNumberCard.issue(await TestCa.create(), { ...holder, authPin: '1234', signPin: 'ABC123' });
    readers = await openPcscReaders();
    const record = (type: string) => (e: PcscReaderEvent) => { if (isVpcdReader(e.reader, SLOT)) events.push(`${type} ${e.reader}`); };
    readers.on('card-inserted', record('card-inserted'));
    readers.on('card-removed', record('card-removed'));
    await plug();
  });

  afterAll(async () => {
    if (plugged?.link.connected) await plugged.unplug();
    await readers?.close();
  });

  it('sees the card arrive in vpcd\'s reader, with the card\'s ATR', () => {
    expect(readerName).toBe(`Virtual PCD 00 0${SLOT}`);
    expect(events).toContain(`card-inserted ${readerName}`);
    const info = readers.readers().find((r) => r.name === readerName)!;
    expect(info.cardPresent).toBe(true);
    expect(Buffer.from(info.atr!).equals(Buffer.from(card.atr))).toBe(true);
  });

  it('identifies the card by its auth certificate, and measures the exchanges', async () => {
    for (const extendedLength of [true, false]) {
      const transport = await connect(extendedLength);
      try {
        expect(transport.protocol).toBe('T1');
        const runs: { exchanges: number; ms: number }[] = [];
        for (let i = 0; i < 5; i++) {
          const { result, ms } = await measure(() => identify(transport));
          expect(Buffer.from(result.authCertificate).equals(Buffer.from(card.certificate('auth')))).toBe(true);
          runs.push({ exchanges: result.exchanges, ms });
        }
        report('identify', extendedLength, runs);
      } finally {
        await transport.close();
      }
    }
  });

  it('authenticates with the PIN: the signature verifies against the certificate', async () => {
    for (const extendedLength of [true, false]) {
      const transport = await connect(extendedLength);
      try {
        const runs: { exchanges: number; ms: number }[] = [];
        for (let i = 0; i < 5; i++) {
          const challenge = crypto.randomBytes(32);
          const { result, ms } = await measure(() => authenticate(transport, challenge, '1234'));
          const key = new crypto.X509Certificate(result.certificate).publicKey;
          expect(crypto.verify('sha256', challenge, key, result.signature)).toBe(true);
          expect(crypto.verify('sha256', crypto.randomBytes(32), key, result.signature)).toBe(false);
          runs.push({ exchanges: result.exchanges, ms });
        }
        report('authenticate', extendedLength, runs);
      } finally {
        await transport.close();
      }
    }
  });

  it('reads the basic four items with the card-information PIN', async () => {
    const transport = await connect();
    try {
      const { result, ms } = await measure(() => readBasicFour(transport, '1234'));
      expect(result.basicFour).toEqual(holder);
      console.log(`[pcsc] readBasicFour: ${result.exchanges} exchanges, ${ms.toFixed(1)} ms`);
    } finally {
      await transport.close();
    }
  });

  it('counts down wrong PINs, then refuses the last try without sending VERIFY', async () => {
    const transport = await connect();
    try {
      const challenge = crypto.randomBytes(32);
      await expect(authenticate(transport, challenge, '0000')).rejects.toSatisfy((e) => e instanceof WrongPin && e.triesLeft === 2);
      await expect(authenticate(transport, challenge, '0000')).rejects.toSatisfy((e) => e instanceof WrongPin && e.triesLeft === 1);
      const before = apdus.length;
      await expect(authenticate(transport, challenge, '0000')).rejects.toBeInstanceOf(LastTryRefused);
      const sent = apdus.slice(before);
      // a VERIFY with data (Lc > 0) carries a PIN; one without data only asks for the tries left
      expect(sent.filter((a) => a.startsWith('002000') && a.length > 10)).toEqual([]);
      expect(card.pinTriesLeft('auth')).toBe(1);
      // the right PIN, knowingly on the last try, restores the counter
      await authenticate(transport, challenge, '1234', { allowLastTry: true });
      expect(card.pinTriesLeft('auth')).toBe(3);
    } finally {
      await transport.close();
    }
  });

  it('reports CardRemoved when the card leaves in the middle of a multi-exchange read, and the card-removed event', async () => {
    const transport = await connect(false); // short APDUs: the certificate takes several READ BINARYs
    let reads = 0;
    pullWhen = (apdu) => apdu[1] === 0xb0 && ++reads === 2;
    const removed = new Promise<void>((resolve) => readers.on('card-removed', ({ reader }) => { if (reader === readerName) resolve(); }));
    const t0 = performance.now();
    await expect(identify(transport)).rejects.toBeInstanceOf(CardRemoved);
    console.log(`[pcsc] removal mid-read detected as CardRemoved after ${(performance.now() - t0).toFixed(0)} ms`);
    await removed;
    expect(events.at(-1)).toBe(`card-removed ${readerName}`);
    expect(reads).toBe(2);
    await expect(transport.transmit(Uint8Array.of(0x00, 0xa4, 0x04, 0x0c, 0x01, 0x00))).rejects.toBeInstanceOf(CardRemoved);
    expect(readers.readers().find((r) => r.name === readerName)!.cardPresent).toBe(false);
    await transport.close();
  });

  it('sees the card again when it is put back', async () => {
    await plug();
    expect(events.at(-1)).toBe(`card-inserted ${readerName}`);
    const transport = await connect();
    try {
      expect((await identify(transport)).exchanges).toBeGreaterThan(0);
    } finally {
      await transport.close();
    }
    await plugged.unplug();
    expect(events.at(-1)).toBe(`card-removed ${readerName}`);
  });

  function report(what: string, extendedLength: boolean, runs: { exchanges: number; ms: number }[]) {
    const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
    const exchanges = [...new Set(runs.map((r) => r.exchanges))].join('/');
    console.log(`[pcsc] ${what} via pcscd+vpcd (${extendedLength ? 'extended' : 'short'} APDUs, loopback quickack ${quickack.enabled ? 'on' : 'off'}): `
      + `${exchanges} exchanges, median ${ms[Math.floor(ms.length / 2)]!.toFixed(1)} ms (min ${ms[0]!.toFixed(1)}, max ${ms.at(-1)!.toFixed(1)}, ${runs.length} runs)`);
  }
});

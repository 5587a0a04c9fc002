// PcscReaders and PcscTransport against a stand-in for the `smartcard` binding (its observed
// behaviour, see pcsc.ts); pcsc-integration.test.ts runs them against pcscd and vpcd.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CardRemoved, MalformedResponse, ReaderUnavailable } from '../errors.js';
import {
  PCSC_INSTALL_HINT,
  PcscReaders,
  pcscError,
  type PcscReaderEvent,
  type SmartcardCard,
  type SmartcardModule,
  type SmartcardMonitorEvent,
} from './pcsc.js';

const C = {
  SCARD_SHARE_SHARED: 2, SCARD_SHARE_EXCLUSIVE: 1, SCARD_PROTOCOL_T0: 1, SCARD_PROTOCOL_T1: 2,
  SCARD_LEAVE_CARD: 0, SCARD_RESET_CARD: 1, SCARD_STATE_PRESENT: 0x20,
};
const EMPTY = 0x10;
const PRESENT = 0x20 | 0x10000;
const ATR = Buffer.from('3be000ff8131fe4514', 'hex');

/** A scriptable fake of the binding: one world of readers, cards and a monitor callback. */
function fakeSmartcard(opts: { contextThrows?: string } = {}) {
  const readers = new Map<string, { state: number; atr: Buffer | null }>([['Reader A', { state: EMPTY, atr: null }]]);
  let emit: ((e: SmartcardMonitorEvent) => void) | undefined;
  const cards: FakeCard[] = [];
  /** SCardControl answers of the reader, by control code (none: like vpcd). */
  const controls = new Map<number, Buffer>();
  class FakeCard implements SmartcardCard {
    protocol = C.SCARD_PROTOCOL_T1;
    disconnectedWith: number | undefined;
    sent: { command: string; maxRecvLength?: number }[] = [];
    respond: (command: Buffer) => Promise<Buffer> = async () => Buffer.from([0x90, 0x00]);
    constructor(readonly reader: string) {}
    transmit(command: Buffer, options?: { maxRecvLength?: number }) {
      this.sent.push({ command: command.toString('hex'), maxRecvLength: options?.maxRecvLength });
      return this.respond(command);
    }
    async control(code: number) {
      const r = controls.get(code);
      if (!r) throw new Error('Unknown PC/SC error');
      return r;
    }
    getStatus() {
      const r = readers.get(this.reader)!;
      if (!(r.state & C.SCARD_STATE_PRESENT)) throw new Error('Card was removed');
      return { state: 0x34, protocol: this.protocol, atr: r.atr! };
    }
    disconnect(d?: number) { this.disconnectedWith = d; }
    resets = 0;
    async reconnect(_share?: number, _protocol?: number, init?: number) {
      if (init === C.SCARD_RESET_CARD) this.resets++;
      return this.protocol;
    }
  }
  const mod: SmartcardModule = {
    ...C,
    Context: class {
      isValid = true;
      constructor() {
        if (opts.contextThrows) throw new Error(opts.contextThrows);
      }
      listReaders() {
        return [...readers].map(([name, r]) => ({
          name, state: r.state, atr: r.atr,
          connect: async () => {
            if (!(readers.get(name)!.state & C.SCARD_STATE_PRESENT)) throw new Error('No smart card present');
            const card = new FakeCard(name);
            cards.push(card);
            return card;
          },
        }));
      }
      close() {}
    },
    ReaderMonitor: class {
      start(cb: (e: SmartcardMonitorEvent) => void) {
        emit = cb;
        // like the binding's native thread: the first events arrive after open() has returned
        setImmediate(() => { for (const [name, r] of readers) cb({ type: 'reader-attached', reader: name, state: r.state, atr: r.atr }); });
      }
      stop() { emit = undefined; }
    },
  };
  return {
    mod,
    cards,
    controls,
    insert(name = 'Reader A') {
      readers.set(name, { state: PRESENT, atr: ATR });
      emit?.({ type: 'card-inserted', reader: name, state: PRESENT, atr: ATR });
    },
    remove(name = 'Reader A', notify = true) {
      readers.set(name, { state: EMPTY, atr: null });
      if (notify) emit?.({ type: 'card-removed', reader: name, state: EMPTY, atr: null });
    },
    emit: (e: SmartcardMonitorEvent) => emit?.(e),
  };
}

let open: PcscReaders | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

async function setup(world = fakeSmartcard()) {
  open = await PcscReaders.open({ smartcard: world.mod });
  return { world, readers: open };
}

describe('PcscReaders', () => {
  it('reports readers and cards coming and going, by reader name', async () => {
    const world = fakeSmartcard();
    world.insert('Reader B');
    const events: string[] = [];
    const record = (type: string) => (e: PcscReaderEvent) => events.push(`${type} ${e.reader}${e.atr ? ` ${Buffer.from(e.atr).toString('hex')}` : ''}`);
    const { readers } = await setup(world);
    for (const type of ['reader-attached', 'reader-detached', 'card-inserted', 'card-removed'] as const) readers.on(type, record(type));
    await new Promise((r) => setImmediate(r));
    world.emit({ type: 'reader-attached', reader: 'Reader C', state: EMPTY, atr: null });
    world.insert('Reader A');
    world.remove('Reader A');
    world.emit({ type: 'reader-detached', reader: 'Reader C', state: 0, atr: null });
    expect(events).toEqual([
      'reader-attached Reader A',
      'reader-attached Reader B',
      `card-inserted Reader B ${ATR.toString('hex')}`,
      'reader-attached Reader C',
      `card-inserted Reader A ${ATR.toString('hex')}`,
      'card-removed Reader A',
      'reader-detached Reader C',
    ]);
    expect(readers.readers()).toEqual([
      { name: 'Reader A', cardPresent: false },
      { name: 'Reader B', cardPresent: true, atr: new Uint8Array(ATR) },
    ]);
  });

  it('waits for a card, or gives up after the timeout', async () => {
    const { world, readers } = await setup();
    await expect(readers.waitForCard({ timeoutMs: 20 })).rejects.toBeInstanceOf(ReaderUnavailable);
    const waiting = readers.waitForCard({ reader: 'Reader A' });
    world.insert();
    expect(await waiting).toBe('Reader A');
    expect(await readers.waitForCard({ reader: (n) => n.endsWith('A') })).toBe('Reader A');
  });

  it('says what to start and install when pcscd is not running', async () => {
    const err = await PcscReaders.open({ smartcard: fakeSmartcard({ contextThrows: 'PC/SC service not running' }).mod }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReaderUnavailable);
    expect((err as ReaderUnavailable).hint).toContain(PCSC_INSTALL_HINT);
    expect((err as ReaderUnavailable).hint).toMatch(/pcscd/);
    expect(PCSC_INSTALL_HINT).toBe('apt-get install pcscd libpcsclite-dev && npm rebuild smartcard');
  });

  it('refuses to connect to an empty reader or an unknown one', async () => {
    const { readers } = await setup();
    await expect(readers.connect('Reader A')).rejects.toBeInstanceOf(CardRemoved);
    await expect(readers.connect('Nope')).rejects.toBeInstanceOf(ReaderUnavailable);
  });
});

describe('PcscTransport', () => {
  it('detects extended length from the reader\'s TLV properties, and sizes the receive buffer by it', async () => {
    const { world, readers } = await setup();
    world.insert();
    // vpcd-like reader: no SCardControl → short APDUs only
    const short = await readers.connect('Reader A');
    expect(short.extendedLength).toBe(false);
    expect(short.protocol).toBe('T1');
    expect(Buffer.from(short.atr).equals(ATR)).toBe(true);
    await short.transmit(Uint8Array.of(0x00, 0xb0, 0x00, 0x00, 0x00));
    expect(world.cards[0]!.sent[0]).toEqual({ command: '00b0000000', maxRecvLength: 258 });

    // CCID-like reader: FEATURE_GET_TLV_PROPERTIES (0x12) at control code 0x42330012, dwMaxAPDUDataSize = 65536
    world.controls.set(0x42000000 + 3400, Buffer.from([0x12, 0x04, 0x42, 0x33, 0x00, 0x12]));
    world.controls.set(0x42330012, Buffer.from([0x01, 0x02, 0x00, 0x00, 0x0a, 0x04, 0x00, 0x00, 0x01, 0x00]));
    const ccid = await readers.connect('Reader A');
    const card = world.cards[1]!;
    expect(ccid.extendedLength).toBe(true);
    await ccid.transmit(Uint8Array.of(0x00, 0xb0, 0x00, 0x00, 0x00, 0x00, 0x00));
    expect(card.sent[0]!.maxRecvLength).toBe(65538);

    const forced = await readers.connect('Reader A', { extendedLength: true });
    expect(forced.extendedLength).toBe(true);
  });

  it('turns removal into CardRemoved: reported by PC/SC, seen by the monitor, or as an empty answer', async () => {
    const { world, readers } = await setup();
    world.insert();
    const t = await readers.connect('Reader A');
    world.cards[0]!.respond = async () => { throw new Error('Card was removed'); };
    await expect(t.transmit(Uint8Array.of(0, 0xa4, 0, 0))).rejects.toBeInstanceOf(CardRemoved);
    expect(t.present).toBe(false);

    world.insert();
    const t2 = await readers.connect('Reader A');
    // vpcd's behaviour: the exchange cut by the pull resolves with 0 bytes; the monitor reports later
    world.cards[1]!.respond = async () => {
      world.remove('Reader A', false);
      setTimeout(() => world.emit({ type: 'card-removed', reader: 'Reader A', state: EMPTY, atr: null }), 30);
      return Buffer.alloc(0);
    };
    await expect(t2.transmit(Uint8Array.of(0, 0xb0, 0, 0, 0))).rejects.toBeInstanceOf(CardRemoved);
    await expect(t2.transmit(Uint8Array.of(0, 0xb0, 0, 0, 0))).rejects.toBeInstanceOf(CardRemoved);

    world.insert();
    const t3 = await readers.connect('Reader A');
    world.remove();
    await expect(t3.transmit(Uint8Array.of(0, 0xb0, 0, 0, 0))).rejects.toBeInstanceOf(CardRemoved);
    expect(world.cards[2]!.sent).toEqual([]); // the monitor already said so: nothing sent
  });

  it('reports a short answer from a card that is still there as MalformedResponse', async () => {
    const { world, readers } = await setup();
    world.insert();
    const t = await readers.connect('Reader A');
    world.cards[0]!.respond = async () => Buffer.from([0x90]);
    await expect(t.transmit(Uint8Array.of(0, 0xb0, 0, 0, 0))).rejects.toBeInstanceOf(MalformedResponse);
  });

  it('queues concurrent transmits and resets the card on close (unless told to leave it)', async () => {
    const { world, readers } = await setup();
    world.insert();
    const t = await readers.connect('Reader A');
    const order: string[] = [];
    world.cards[0]!.respond = async (c) => {
      order.push(`start ${c[2]}`);
      await new Promise((r) => setTimeout(r, c[2] === 1 ? 20 : 0));
      order.push(`end ${c[2]}`);
      return Buffer.from([c[2]!, 0x90, 0x00]);
    };
    const [a, b] = await Promise.all([t.transmit(Uint8Array.of(0, 0xb0, 1, 0, 1)), t.transmit(Uint8Array.of(0, 0xb0, 2, 0, 1))]);
    expect([a![0], b![0]]).toEqual([1, 2]);
    expect(order).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
    await t.close();
    // reset through the asynchronous reconnect, then leave: see PcscTransport.close
    expect(world.cards[0]!.resets).toBe(1);
    expect(world.cards[0]!.disconnectedWith).toBe(C.SCARD_LEAVE_CARD);
    await expect(t.transmit(Uint8Array.of(0, 0xb0, 0, 0, 0))).rejects.toBeInstanceOf(ReaderUnavailable);
    const left = await readers.connect('Reader A', { disposition: 'leave' });
    await left.close();
    expect(world.cards[1]!.resets).toBe(0);
    expect(world.cards[1]!.disconnectedWith).toBe(C.SCARD_LEAVE_CARD);
  });

  it('emits monitor errors only to listeners, as ReaderUnavailable', async () => {
    const { world, readers } = await setup();
    world.emit({ type: 'error', reader: 'PC/SC service not running', state: 0, atr: null }); // nobody listens: no throw
    const seen = vi.fn();
    readers.on('error', seen);
    world.emit({ type: 'error', reader: 'PC/SC service not running', state: 0, atr: null });
    expect(seen.mock.calls[0]![0]).toBeInstanceOf(ReaderUnavailable);
  });
});

describe('loadSmartcard', () => {
  it('says exactly what to install when the binding cannot be loaded', async () => {
    vi.resetModules();
    vi.doMock('smartcard', () => { throw new Error('libpcsclite.so.1: cannot open shared object file'); });
    try {
      const fresh = await import('./pcsc.js');
      const err = await fresh.loadSmartcard().catch((e: unknown) => e);
      // a fresh module graph: its ReaderUnavailable is another class object, so compare the code
      expect((err as ReaderUnavailable).code).toBe('ERR_JPKI_READER_UNAVAILABLE');
      const hint = (err as ReaderUnavailable).hint!;
      expect(hint).toContain('apt-get install pcscd libpcsclite-dev && npm rebuild smartcard');
      expect(hint).toContain('start pcscd');
    } finally {
      vi.doUnmock('smartcard');
      vi.resetModules();
    }
  });
});

describe('pcscError', () => {
  it('maps pcsc-lite texts to the package errors', () => {
    expect(pcscError(new Error('Card was removed'))).toBeInstanceOf(CardRemoved);
    expect(pcscError(new Error('No smart card present'))).toBeInstanceOf(CardRemoved);
    expect(pcscError(new Error('Card was reset'))).toBeInstanceOf(CardRemoved);
    const down = pcscError(new Error('PC/SC service not running'));
    expect(down).toBeInstanceOf(ReaderUnavailable);
    expect((down as ReaderUnavailable).hint).toMatch(/pcscd/);
    expect(pcscError(new Error('Reader unavailable'))).toBeInstanceOf(ReaderUnavailable);
  });
});

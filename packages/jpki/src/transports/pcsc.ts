/**
 * PC/SC card readers through the optional npm package `smartcard` (N-API binding of pcsc-lite on
 * Linux, WinSCard on Windows, PCSC.framework on macOS).
 *
 * `smartcard` is loaded lazily with a dynamic import, so `@kazashi/jpki` works without it (virtual
 * cards, memory transport); only {@link PcscReaders.open} needs it, and it throws
 * {@link ReaderUnavailable} with an installation hint when it cannot be loaded or pcscd is down.
 *
 * Behaviour observed with pcsc-lite 1.9.9, vsmartcard-vpcd 3.3 and smartcard 3.7 (Debian), which the
 * code relies on:
 * - The native binding rejects with plain `Error`s whose message is pcsc-lite's text ("Card was
 *   removed", "PC/SC service not running", …), not with its `PCSCError` classes; errors are
 *   therefore mapped by message.
 * - Pulling a (virtual) card while SCardTransmit waits for its answer makes the transmit
 *   *resolve with zero bytes*; only the next call says "Card was removed". A response shorter than
 *   a status word is therefore checked against the card's presence before anything else.
 * - vpcd implements no SCardControl (it answers SCARD_E_UNSUPPORTED_FEATURE, which the binding
 *   reports as "Unknown PC/SC error"), but it passes extended-length APDUs both ways.
 *
 * @example
 * ```ts
 * const readers = await PcscReaders.open();
 * readers.on('card-inserted', async ({ reader }) => {
 *   const transport = await readers.connect(reader);
 *   const { authCertificate } = await identify(transport);
 *   await transport.close();
 * });
 * ```
 * @module
 */
import { EventEmitter } from 'node:events';
import { CardRemoved, JpkiError, MalformedResponse, ReaderUnavailable } from '../errors.js';
import type { CardTransport } from '../transport.js';

/** What to install when PC/SC is missing, exactly as staff should type it (Debian/Ubuntu). */
export const PCSC_INSTALL_HINT = 'apt-get install pcscd libpcsclite-dev && npm rebuild smartcard';
/** How to start the PC/SC daemon. */
export const PCSC_START_HINT = 'start pcscd: `systemctl start pcscd`, or without systemd as root: `pcscd` (daemon) or `pcscd --foreground`';

// ---- the part of the `smartcard` module this file uses (declared here: it is optional) ----

/** A connected card of the `smartcard` binding. */
export interface SmartcardCard {
  readonly protocol: number;
  readonly connected?: boolean;
  transmit(command: Buffer, options?: { maxRecvLength?: number }): Promise<Buffer>;
  control(code: number, data?: Buffer): Promise<Buffer>;
  getStatus(): { state: number; protocol: number; atr: Buffer };
  disconnect(disposition?: number): void;
  reconnect(shareMode?: number, protocol?: number, initialization?: number): Promise<number>;
}
/** A reader of the `smartcard` binding. */
export interface SmartcardReader {
  readonly name: string;
  readonly state: number;
  readonly atr: Buffer | null;
  connect(shareMode?: number, protocol?: number): Promise<SmartcardCard>;
}
/** A PC/SC context of the `smartcard` binding. */
export interface SmartcardContext {
  readonly isValid: boolean;
  listReaders(): SmartcardReader[];
  close(): void;
}
/** One event of the binding's background reader monitor. */
export interface SmartcardMonitorEvent {
  type: 'reader-attached' | 'reader-detached' | 'card-inserted' | 'card-removed' | 'error';
  /** The reader name, or the error text for `error`. */
  reader: string;
  state: number;
  atr: Buffer | null;
}
/** The binding's background reader monitor (a native thread around SCardGetStatusChange). */
export interface SmartcardMonitor {
  start(callback: (event: SmartcardMonitorEvent) => void): void;
  stop(): void;
}
/** The members of the `smartcard` module used here; tests pass a fake. */
export interface SmartcardModule {
  Context: new () => SmartcardContext;
  ReaderMonitor: new () => SmartcardMonitor;
  SCARD_SHARE_SHARED: number;
  SCARD_SHARE_EXCLUSIVE: number;
  SCARD_PROTOCOL_T0: number;
  SCARD_PROTOCOL_T1: number;
  SCARD_LEAVE_CARD: number;
  SCARD_RESET_CARD: number;
  SCARD_STATE_PRESENT: number;
}

let loaded: Promise<SmartcardModule> | undefined;

/**
 * Loads the optional `smartcard` binding once.
 *
 * @throws {ReaderUnavailable} with {@link PCSC_INSTALL_HINT} when it is not installed or its native
 *   part does not load (no libpcsclite).
 * @example
 * ```ts
 * const sc = await loadSmartcard();
 * const names = new sc.Context().listReaders().map((r) => r.name);
 * ```
 */
export function loadSmartcard(): Promise<SmartcardModule> {
  loaded ??= (async () => {
    const name = 'smartcard'; // a variable: TypeScript must not require the optional package
    try {
      const ns = (await import(name)) as { default?: SmartcardModule } & Partial<SmartcardModule>;
      const mod = (ns.default ?? ns) as SmartcardModule;
      if (typeof mod.Context !== 'function') throw new Error('the smartcard module has no Context');
      return mod;
    } catch (err) {
      loaded = undefined; // let a later call retry (after `npm rebuild smartcard`)
      throw new ReaderUnavailable({ hint: `the PC/SC binding \`smartcard\` cannot be loaded (${errorText(err)}); install it: ${PCSC_INSTALL_HINT}; then ${PCSC_START_HINT}` }, { cause: err });
    }
  })();
  return loaded;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// pcsc-lite's texts (as the binding reports them) grouped by meaning.
const GONE = /card was removed|no smart ?card present|card was reset|card is unpowered|removed card/i;
const SERVICE = /service not running|service stopped|no service|invalid handle|context is not valid/i;
const READER = /reader unavailable|unknown reader|no readers available/i;

/**
 * The error this package reports for a failure of the PC/SC layer.
 *
 * @example
 * ```ts
 * pcscError(new Error('Card was removed')); // CardRemoved
 * pcscError(new Error('PC/SC service not running')).hint; // names pcscd
 * ```
 */
export function pcscError(err: unknown): JpkiError {
  if (err instanceof JpkiError) return err;
  const text = errorText(err);
  if (GONE.test(text)) return new CardRemoved({ cause: err });
  if (SERVICE.test(text)) return new ReaderUnavailable({ hint: `PC/SC service: ${text}; ${PCSC_START_HINT}` }, { cause: err });
  if (READER.test(text)) return new ReaderUnavailable({ hint: `reader: ${text}` }, { cause: err });
  return new ReaderUnavailable({ hint: `PC/SC: ${text}` }, { cause: err });
}

/** A reader as {@link PcscReaders.readers} lists it. */
export interface PcscReaderInfo {
  name: string;
  cardPresent: boolean;
  /** ATR of the card in the reader, when one is present. */
  atr?: Uint8Array;
}

/** Payload of every {@link PcscReaders} event. */
export interface PcscReaderEvent {
  /** Reader name, e.g. `SONY FeliCa RC-S300/P` or `Virtual PCD 00 00`. */
  reader: string;
  /** For `card-inserted`: the card's ATR. */
  atr?: Uint8Array;
}

/** Events of {@link PcscReaders}. */
export interface PcscReadersEvents {
  'reader-attached': [PcscReaderEvent];
  'reader-detached': [PcscReaderEvent];
  'card-inserted': [PcscReaderEvent];
  'card-removed': [PcscReaderEvent];
  /** PC/SC trouble while watching (e.g. pcscd stopped). Only emitted when someone listens. */
  error: [JpkiError];
}

/** Options of {@link PcscReaders.connect}. */
export interface PcscConnectOptions {
  /**
   * Whether to send extended-length APDUs (Lc/Le of 2–3 bytes: a certificate in one READ BINARY).
   * - `'auto'` (default): ask the reader (PC/SC v2 part 10 `FEATURE_GET_TLV_PROPERTIES`,
   *   `dwMaxAPDUDataSize`, the way OpenSC does): true when it reports more than 256 bytes. CCID
   *   readers answer it; a reader or driver that implements no SCardControl (vpcd, many
   *   contactless drivers) counts as short-only. The My Number Card itself accepts extended Le.
   * - `true` / `false`: the caller knows (kiosk configuration; the virtual reader passes extended
   *   APDUs, so the test harness sets `true`).
   * The caller decides because probing with a real APDU would cost exchanges and change the
   * card's selected application on every connect.
   */
  extendedLength?: boolean | 'auto';
  /** Transmission protocol: `any` (default: T=1 or T=0, whatever the card and reader agree on). */
  protocol?: 'any' | 'T0' | 'T1';
  /** `shared` (default) or `exclusive` (no other application may use the card meanwhile). */
  share?: 'shared' | 'exclusive';
  /**
   * What `close()` does to the card: `reset` (default: the card forgets verified PINs, so no other
   * application inherits them) or `leave`.
   */
  disposition?: 'reset' | 'leave';
}

const FEATURE_GET_TLV_PROPERTIES = 0x12;
const TLV_MAX_APDU_DATA_SIZE = 0x0a;
/** `SCARD_CTL_CODE(3400)` on pcsc-lite (Linux, macOS). */
const CM_IOCTL_GET_FEATURE_REQUEST = process.platform === 'win32' ? (0x31 << 16) + (3400 << 2) : 0x42000000 + 3400;
/** Largest response an extended Le (`00 00` = 65 536) can produce, plus the status word. */
const EXTENDED_RECV = 65536 + 2;
const SHORT_RECV = 256 + 2;

/**
 * Whether the reader says it carries extended APDUs (PC/SC v2 part 10 TLV properties). False when
 * the reader implements no SCardControl or does not report `dwMaxAPDUDataSize`.
 *
 * @example
 * ```ts
 * const extended = await readerSupportsExtendedApdu(card);
 * ```
 */
export async function readerSupportsExtendedApdu(card: SmartcardCard): Promise<boolean> {
  try {
    const features = parseTlv(await card.control(CM_IOCTL_GET_FEATURE_REQUEST), 'be');
    const code = features.get(FEATURE_GET_TLV_PROPERTIES);
    if (code === undefined) return false;
    const props = parseTlv(await card.control(code), 'le');
    return (props.get(TLV_MAX_APDU_DATA_SIZE) ?? 0) > 256;
  } catch {
    return false;
  }
}

/** Tag–length–value list of unsigned integers (feature codes: big-endian; TLV properties: little-endian). */
function parseTlv(bytes: Uint8Array, endian: 'be' | 'le'): Map<number, number> {
  const out = new Map<number, number>();
  for (let i = 0; i + 2 <= bytes.length;) {
    const tag = bytes[i]!;
    const len = bytes[i + 1]!;
    const value = bytes.subarray(i + 2, i + 2 + len);
    if (value.length < len) break;
    let n = 0;
    for (let k = 0; k < len; k++) n += value[endian === 'be' ? k : len - 1 - k]! * 2 ** (8 * (len - 1 - k));
    out.set(tag, n);
    i += 2 + len;
  }
  return out;
}

/**
 * A connected card: the {@link CardTransport} for one card in one PC/SC reader.
 *
 * @example
 * ```ts
 * const transport = await readers.connect('Virtual PCD 00 00');
 * const response = await transport.transmit(Uint8Array.of(0x00, 0xa4, 0x04, 0x0c, 0x0a, ...aid));
 * await transport.close();
 * ```
 */
export class PcscTransport implements CardTransport {
  readonly readerName: string;
  readonly extendedLength: boolean;
  /** The protocol in use: `T0`, `T1` or `other`. */
  readonly protocol: 'T0' | 'T1' | 'other';
  readonly atr: Uint8Array;
  readonly #card: SmartcardCard;
  readonly #sc: SmartcardModule;
  readonly #reset: boolean;
  readonly #share: number;
  readonly #protocols: number;
  readonly #cardInReader: () => boolean | undefined;
  readonly #onClose: ((transport: PcscTransport) => void) | undefined;
  #removed = false;
  #closed = false;
  #queue: Promise<unknown> = Promise.resolve();
  #transmits = 0;

  /** @internal Use {@link PcscReaders.connect}. */
  constructor(sc: SmartcardModule, card: SmartcardCard, args: {
    readerName: string;
    extendedLength: boolean;
    atr: Uint8Array;
    disposition: 'reset' | 'leave';
    /** Share mode and protocols of the connection (for the reset on close). */
    share: number;
    protocols: number;
    /** Whether PC/SC reports a card in the reader (undefined: cannot tell). */
    cardInReader: () => boolean | undefined;
    onClose?: (transport: PcscTransport) => void;
  }) {
    this.#sc = sc;
    this.#card = card;
    this.readerName = args.readerName;
    this.extendedLength = args.extendedLength;
    this.atr = args.atr;
    this.protocol = card.protocol === sc.SCARD_PROTOCOL_T1 ? 'T1' : card.protocol === sc.SCARD_PROTOCOL_T0 ? 'T0' : 'other';
    this.#reset = args.disposition !== 'leave';
    this.#share = args.share;
    this.#protocols = args.protocols;
    this.#cardInReader = args.cardInReader;
    this.#onClose = args.onClose;
  }

  /** Commands transmitted so far. */
  get transmits(): number {
    return this.#transmits;
  }

  /** False once the card was seen leaving the reader or the transport was closed. */
  get present(): boolean {
    return !this.#removed && !this.#closed;
  }

  /** @internal Called by {@link PcscReaders} when the monitor sees the card leave. */
  markRemoved(): void {
    this.#removed = true;
  }

  /**
   * Sends one command APDU. Calls are queued: APDUs never interleave.
   *
   * @throws {CardRemoved} when the card left (before or during the exchange);
   *   {@link ReaderUnavailable} when pcscd or the reader failed; {@link MalformedResponse} when the
   *   card, still present, answered less than a status word.
   * @example
   * ```ts
   * const r = await transport.transmit(Uint8Array.of(0x00, 0xb0, 0x8a, 0x00, 0x00));
   * ```
   */
  transmit(command: Uint8Array): Promise<Uint8Array> {
    const run = this.#queue.then(() => this.#transmit(command));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #transmit(command: Uint8Array): Promise<Uint8Array> {
    if (this.#closed) throw new ReaderUnavailable({ hint: `the connection to ${this.readerName} is closed` });
    if (this.#removed) throw new CardRemoved();
    this.#transmits++;
    let response: Buffer;
    try {
      response = await this.#card.transmit(Buffer.from(command.buffer, command.byteOffset, command.byteLength), { maxRecvLength: this.extendedLength ? EXTENDED_RECV : SHORT_RECV });
    } catch (err) {
      const mapped = pcscError(err);
      if (mapped instanceof CardRemoved) this.#removed = true;
      else if (await this.#cardGone()) {
        this.#removed = true;
        throw new CardRemoved({ cause: err });
      }
      throw mapped;
    }
    if (response.length < 2) {
      // pcsc-lite + vpcd: an exchange cut by the card leaving resolves with 0 bytes.
      if (await this.#cardGone()) {
        this.#removed = true;
        throw new CardRemoved();
      }
      throw new MalformedResponse(`${response.length}-byte response from ${this.readerName}`);
    }
    return new Uint8Array(response);
  }

  /**
   * Whether the card has left, asked of PC/SC. pcscd notices a vanished card at its next poll of
   * the reader (vpcd: ~400 ms), so this waits up to a second for the reader state to settle.
   */
  async #cardGone(): Promise<boolean> {
    for (let i = 0; i < 20; i++) {
      if (this.#removed) return true;
      try {
        this.#card.getStatus();
      } catch (err) {
        if (pcscError(err) instanceof CardRemoved) return true;
      }
      const inReader = this.#cardInReader();
      if (inReader === false) return true;
      if (inReader === undefined) return false;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  }

  /**
   * Disconnects from the card (resetting it by default, see {@link PcscConnectOptions.disposition}).
   *
   * The reset is an (asynchronous) SCardReconnect with SCARD_RESET_CARD followed by
   * SCardDisconnect(SCARD_LEAVE_CARD), never SCardDisconnect(SCARD_RESET_CARD): the binding runs
   * disconnect() synchronously on the JavaScript thread, and pcscd does not return from a reset
   * until the card has answered it. A virtual card in the same process (vpcd link, tests,
   * benchmarks) answers on that very thread, so a synchronous reset would deadlock.
   *
   * @example
   * ```ts
   * await transport.close();
   * ```
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#onClose?.(this);
    await this.#queue;
    if (this.#reset && !this.#removed) {
      try {
        await this.#card.reconnect(this.#share, this.#protocols, this.#sc.SCARD_RESET_CARD);
      } catch {
        // the card left meanwhile: nothing to reset
      }
    }
    try {
      this.#card.disconnect(this.#sc.SCARD_LEAVE_CARD);
    } catch {
      // already gone
    }
  }
}

/**
 * The PC/SC readers of this machine: lists them, reports readers and cards coming and going, and
 * connects to cards.
 *
 * Holds a PC/SC context and a monitor thread: call {@link close} when done (the monitor keeps the
 * Node process alive).
 *
 * @example
 * ```ts
 * const readers = await PcscReaders.open();
 * console.log(readers.readers()); // [{ name: 'Virtual PCD 00 00', cardPresent: true, atr: … }, …]
 * const name = await readers.waitForCard({ timeoutMs: 10_000 });
 * const transport = await readers.connect(name);
 * ```
 */
export class PcscReaders extends EventEmitter<PcscReadersEvents> {
  readonly #sc: SmartcardModule;
  readonly #context: SmartcardContext;
  readonly #monitor: SmartcardMonitor;
  readonly #present = new Map<string, boolean>();
  readonly #transports = new Set<PcscTransport>();
  #closed = false;

  private constructor(sc: SmartcardModule, context: SmartcardContext, monitor: SmartcardMonitor) {
    super();
    this.#sc = sc;
    this.#context = context;
    this.#monitor = monitor;
  }

  /**
   * Loads the binding, opens a PC/SC context and starts watching readers. Readers already attached
   * are reported with `reader-attached` (and `card-inserted` when a card is in) right after.
   *
   * @param options.smartcard a stand-in for the `smartcard` module (tests).
   * @throws {ReaderUnavailable} when `smartcard` cannot be loaded or pcscd is not running; the hint
   *   says what to install or start.
   * @example
   * ```ts
   * const readers = await PcscReaders.open();
   * readers.on('card-removed', ({ reader }) => console.log(`card left ${reader}`));
   * ```
   */
  static async open(options: { smartcard?: SmartcardModule } = {}): Promise<PcscReaders> {
    const sc = options.smartcard ?? (await loadSmartcard());
    let context: SmartcardContext;
    try {
      context = new sc.Context();
    } catch (err) {
      throw new ReaderUnavailable({ hint: `cannot reach the PC/SC service (${errorText(err)}); ${PCSC_START_HINT}; if it is not installed: ${PCSC_INSTALL_HINT}` }, { cause: err });
    }
    const monitor = new sc.ReaderMonitor();
    const readers = new PcscReaders(sc, context, monitor);
    try {
      monitor.start((event) => readers.#onMonitor(event));
    } catch (err) {
      context.close();
      throw new ReaderUnavailable({ hint: `cannot watch the PC/SC readers (${errorText(err)}); ${PCSC_START_HINT}` }, { cause: err });
    }
    return readers;
  }

  #onMonitor(event: SmartcardMonitorEvent): void {
    if (this.#closed) return;
    const present = (event.state & this.#sc.SCARD_STATE_PRESENT) !== 0;
    const atr = event.atr && event.atr.length ? new Uint8Array(event.atr) : undefined;
    switch (event.type) {
      case 'reader-attached':
        this.#present.set(event.reader, false);
        this.emit('reader-attached', { reader: event.reader });
        if (present) this.#cardIn(event.reader, atr);
        break;
      case 'reader-detached':
        if (this.#present.get(event.reader)) this.#cardOut(event.reader);
        this.#present.delete(event.reader);
        this.emit('reader-detached', { reader: event.reader });
        break;
      case 'card-inserted':
        this.#cardIn(event.reader, atr);
        break;
      case 'card-removed':
        this.#cardOut(event.reader);
        break;
      case 'error':
        if (this.listenerCount('error') > 0) this.emit('error', pcscError(new Error(event.reader)));
        break;
    }
  }

  #cardIn(reader: string, atr: Uint8Array | undefined): void {
    if (this.#present.get(reader)) return;
    this.#present.set(reader, true);
    this.emit('card-inserted', atr ? { reader, atr } : { reader });
  }

  #cardOut(reader: string): void {
    if (this.#present.get(reader) === false) return;
    this.#present.set(reader, false);
    for (const t of this.#transports) if (t.readerName === reader) t.markRemoved();
    this.emit('card-removed', { reader });
  }

  /**
   * The readers PC/SC knows now, with card presence (asked of pcscd, not cached).
   *
   * @throws {ReaderUnavailable} when pcscd has gone away.
   * @example
   * ```ts
   * const withCard = readers.readers().filter((r) => r.cardPresent).map((r) => r.name);
   * ```
   */
  readers(): PcscReaderInfo[] {
    if (this.#closed) throw new ReaderUnavailable({ hint: 'PcscReaders is closed' });
    let list: SmartcardReader[];
    try {
      list = this.#context.listReaders();
    } catch (err) {
      throw pcscError(err);
    }
    return list.map((r) => {
      const cardPresent = (r.state & this.#sc.SCARD_STATE_PRESENT) !== 0;
      return cardPresent && r.atr?.length ? { name: r.name, cardPresent, atr: new Uint8Array(r.atr) } : { name: r.name, cardPresent };
    });
  }

  /**
   * Resolves with the name of a reader holding a card: at once if one does, else at the next
   * `card-inserted`.
   *
   * @param options.reader only this reader (exact name) or, with a function, readers it accepts.
   * @throws {ReaderUnavailable} after `timeoutMs` (default: wait forever) or when closed.
   * @example
   * ```ts
   * const name = await readers.waitForCard({ reader: (n) => n.startsWith('Virtual PCD'), timeoutMs: 5000 });
   * ```
   */
  waitForCard(options: { reader?: string | ((name: string) => boolean); timeoutMs?: number } = {}): Promise<string> {
    const accept = typeof options.reader === 'string' ? (n: string) => n === options.reader : options.reader ?? (() => true);
    return new Promise<string>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (fn: () => void) => {
        this.off('card-inserted', onInsert);
        if (timer) clearTimeout(timer);
        fn();
      };
      const onInsert = ({ reader }: PcscReaderEvent) => {
        if (accept(reader)) done(() => resolve(reader));
      };
      this.on('card-inserted', onInsert);
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(() => done(() => reject(new ReaderUnavailable({ hint: `no card in ${typeof options.reader === 'string' ? options.reader : 'any reader'} after ${options.timeoutMs} ms` }))), options.timeoutMs);
      }
      try {
        const found = this.readers().find((r) => r.cardPresent && accept(r.name));
        if (found) done(() => resolve(found.name));
      } catch (err) {
        done(() => reject(err));
      }
    });
  }

  /**
   * Connects to the card in a reader.
   *
   * @throws {CardRemoved} when the reader holds no card; {@link ReaderUnavailable} when there is no
   *   such reader or PC/SC fails.
   * @example
   * ```ts
   * const transport = await readers.connect('Virtual PCD 00 00', { extendedLength: true });
   * ```
   */
  async connect(readerName: string, options: PcscConnectOptions = {}): Promise<PcscTransport> {
    const sc = this.#sc;
    const reader = (() => {
      try {
        return this.#context.listReaders().find((r) => r.name === readerName);
      } catch (err) {
        throw pcscError(err);
      }
    })();
    if (!reader) throw new ReaderUnavailable({ hint: `no reader named "${readerName}"` });
    const share = options.share === 'exclusive' ? sc.SCARD_SHARE_EXCLUSIVE : sc.SCARD_SHARE_SHARED;
    const protocol = options.protocol === 'T0' ? sc.SCARD_PROTOCOL_T0 : options.protocol === 'T1' ? sc.SCARD_PROTOCOL_T1 : sc.SCARD_PROTOCOL_T0 | sc.SCARD_PROTOCOL_T1;
    let card: SmartcardCard;
    try {
      card = await reader.connect(share, protocol);
    } catch (err) {
      // Some readers refuse "T=0 or T=1" for cards that only do T=0 (smartcard issue #34).
      if (options.protocol === undefined || options.protocol === 'any') {
        if (/unresponsive/i.test(errorText(err))) {
          try {
            card = await reader.connect(share, sc.SCARD_PROTOCOL_T0);
          } catch (err2) {
            throw pcscError(err2);
          }
        } else throw pcscError(err);
      } else throw pcscError(err);
    }
    let atr: Uint8Array;
    try {
      atr = new Uint8Array(card.getStatus().atr);
    } catch (err) {
      throw pcscError(err);
    }
    const extendedLength = options.extendedLength === undefined || options.extendedLength === 'auto' ? await readerSupportsExtendedApdu(card) : options.extendedLength;
    const transport = new PcscTransport(sc, card, {
      readerName, extendedLength, atr, disposition: options.disposition ?? 'reset', share, protocols: protocol,
      cardInReader: () => this.#cardInReader(readerName),
      onClose: (t) => this.#transports.delete(t),
    });
    this.#transports.add(transport);
    return transport;
  }

  #cardInReader(readerName: string): boolean | undefined {
    if (this.#closed) return undefined;
    try {
      const r = this.#context.listReaders().find((x) => x.name === readerName);
      return r ? (r.state & this.#sc.SCARD_STATE_PRESENT) !== 0 : false;
    } catch {
      return undefined;
    }
  }

  /**
   * Stops watching, disconnects every transport it opened and releases the PC/SC context.
   *
   * @example
   * ```ts
   * await readers.close();
   * ```
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#transports].map((t) => t.close()));
    try {
      this.#monitor.stop();
    } catch {
      // already stopped
    }
    try {
      this.#context.close();
    } catch {
      // pcscd gone
    }
    this.removeAllListeners();
  }
}

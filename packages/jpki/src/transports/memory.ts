/**
 * A {@link CardTransport} to an in-process card: anything with `process(apdu) → response`,
 * such as the virtual My Number Card. For tests, demos and benchmarks.
 *
 * @example
 * ```ts
 * const transport = new MemoryTransport(card, { extendedLength: true });
 * const { authCertificate, exchanges } = await identify(transport);
 * ```
 * @module
 */
import { CommandApdu, SW, responseBytes } from '../apdu.js';
import { CardRemoved } from '../errors.js';
import type { CardTransport } from '../transport.js';

/**
 * Something that answers command APDUs with response APDUs, like a card.
 *
 * @example
 * ```ts
 * const echo: ApduResponder = { process: () => Uint8Array.of(0x90, 0x00) };
 * ```
 */
export interface ApduResponder {
  process(apdu: Uint8Array): Uint8Array;
}

/**
 * Options of {@link MemoryTransport}.
 *
 * @example
 * ```ts
 * new MemoryTransport(card, { extendedLength: true, onTransmit: (c) => log.push(c) });
 * ```
 */
export interface MemoryTransportOptions {
  /**
   * Whether the simulated reader carries extended-length APDUs (default false, like an unknown
   * reader). Without it, an extended APDU never reaches the card: the reader answers `6700`.
   */
  extendedLength?: boolean;
  /** Reader name reported (default `Kazashi memory reader`). */
  readerName?: string;
  /**
   * Called with every command before it reaches the card (a spy). It may call `remove()` to
   * simulate the card leaving at that moment; that command then fails with CardRemoved.
   */
  onTransmit?: (command: Uint8Array, transport: MemoryTransport) => void;
}

/**
 * A transport whose "card" is an {@link ApduResponder} in the same process.
 *
 * @example
 * ```ts
 * const sent: Uint8Array[] = [];
 * const transport = new MemoryTransport(card, { onTransmit: (c) => sent.push(c) });
 * transport.remove(); // later transmits throw CardRemoved
 * ```
 */
export class MemoryTransport implements CardTransport {
  readonly extendedLength: boolean;
  readonly readerName: string;
  #responder: ApduResponder | undefined;
  readonly #onTransmit: MemoryTransportOptions['onTransmit'];
  #transmits = 0;

  constructor(responder: ApduResponder, options: MemoryTransportOptions = {}) {
    this.#responder = responder;
    this.extendedLength = options.extendedLength ?? false;
    this.readerName = options.readerName ?? 'Kazashi memory reader';
    this.#onTransmit = options.onTransmit;
  }

  /** Number of commands transmitted so far (including refused ones). */
  get transmits(): number {
    return this.#transmits;
  }

  /** Whether a card is present. */
  get present(): boolean {
    return this.#responder !== undefined;
  }

  /**
   * Sends a command to the responder.
   *
   * @throws {CardRemoved} after `remove()`.
   * @example
   * ```ts
   * await transport.transmit(Uint8Array.of(0x00, 0xa4, 0x04, 0x0c, 0x0a, ...aid));
   * ```
   */
  async transmit(command: Uint8Array): Promise<Uint8Array> {
    this.#transmits++;
    const copy = Uint8Array.from(command);
    this.#onTransmit?.(Uint8Array.from(copy), this);
    const responder = this.#responder;
    if (!responder) throw new CardRemoved();
    if (!this.extendedLength && CommandApdu.usesExtendedLength(copy)) return responseBytes(SW.WRONG_LENGTH);
    return Uint8Array.from(responder.process(copy));
  }

  /**
   * Simulates taking the card off the reader.
   *
   * @example
   * ```ts
   * transport.remove();
   * ```
   */
  remove(): void {
    this.#responder = undefined;
  }

  /**
   * Puts a card (the same or another) on the reader.
   *
   * @example
   * ```ts
   * transport.insert(otherCard);
   * ```
   */
  insert(responder: ApduResponder): void {
    this.#responder = responder;
  }

  /**
   * Closes the transport (the card counts as removed afterwards).
   *
   * @example
   * ```ts
   * await transport.close();
   * ```
   */
  async close(): Promise<void> {
    this.#responder = undefined;
  }
}

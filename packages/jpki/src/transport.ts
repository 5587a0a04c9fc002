/**
 * The one thing a card reader has to do for this package: carry a command APDU to the card and
 * bring back the response APDU (data and the two status bytes).
 *
 * Implementations: {@link MemoryTransport} (in-process responder such as the virtual card) and the
 * PC/SC transport. A transport that sees the card go away throws {@link CardRemoved}; one that
 * cannot reach its reader throws {@link ReaderUnavailable}. Anything else it throws is converted by
 * {@link CardChannel}.
 *
 * @example
 * ```ts
 * const transport: CardTransport = new MemoryTransport(card, { extendedLength: true });
 * const response = await transport.transmit(Uint8Array.of(0x00, 0xa4, 0x04, 0x0c, 0x0a, ...aid));
 * ```
 */
export interface CardTransport {
  /** Sends one command APDU and resolves with the response APDU (data followed by SW1 SW2). */
  transmit(command: Uint8Array): Promise<Uint8Array>;
  /** Whether the reader (and its driver) carries extended-length APDUs (Lc/Le of 2–3 bytes). */
  readonly extendedLength: boolean;
  /** The reader's name, for logs and kiosk diagnostics. */
  readonly readerName?: string;
  /** Releases the card and the reader. */
  close?(): Promise<void>;
}

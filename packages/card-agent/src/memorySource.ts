import { EventEmitter } from 'node:events';
import { MemoryTransport, type CardTransport } from '@kazashi/jpki';
import type { ReaderSource } from './agent.js';

type Responder = ConstructorParameters<typeof MemoryTransport>[0];

/** Readers in memory, for tests and demos without PC/SC: insert and pull cards by hand. */
export class MemoryReaderSource extends EventEmitter implements ReaderSource {
  private readonly slots = new Map<string, { card?: Responder; transports: Set<MemoryTransport> }>();

  constructor(
    readerNames: string[],
    private readonly options: { extendedLength?: boolean; onTransmit?: (command: Uint8Array, transport: MemoryTransport) => void } = {},
  ) {
    super();
    for (const name of readerNames) this.slots.set(name, { transports: new Set() });
  }

  readers() {
    return [...this.slots].map(([name, s]) => ({ name, cardPresent: Boolean(s.card) }));
  }

  insert(reader: string, card: Responder) {
    this.slots.get(reader)!.card = card;
    this.emit('card-inserted', reader);
  }

  /** Pulls the card: transports in use fail with CardRemoved from their next exchange. */
  remove(reader: string) {
    const slot = this.slots.get(reader)!;
    slot.card = undefined;
    for (const t of slot.transports) t.remove();
    slot.transports.clear();
    this.emit('card-removed', reader);
  }

  async connect(reader: string): Promise<CardTransport> {
    const slot = this.slots.get(reader)!;
    const t = new MemoryTransport(slot.card ?? { process: () => Uint8Array.of(0x6a, 0x82) }, {
      extendedLength: this.options.extendedLength ?? true, onTransmit: this.options.onTransmit,
    });
    if (!slot.card) t.remove();
    else slot.transports.add(t);
    return t;
  }

  async close() {}
}

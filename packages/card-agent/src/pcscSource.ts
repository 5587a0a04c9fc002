import { PcscReaders } from '@kazashi/jpki';
import type { ReaderSource } from './agent.js';
import type { AgentEvent } from './protocol.js';

/** The kiosk's real readers, through pcscd. Throws ReaderUnavailable (with what to install) if PC/SC is missing. */
export async function openPcscSource(options: { extendedLength?: boolean } = {}): Promise<ReaderSource> {
  const readers = await PcscReaders.open();
  return {
    readers: () => readers.readers().map(({ name, cardPresent }) => ({ name, cardPresent })),
    connect: (reader) => readers.connect(reader, options.extendedLength === undefined ? {} : { extendedLength: options.extendedLength }),
    on: (event: AgentEvent, listener: (reader: string) => void) => readers.on(event, (e) => listener(e.reader)),
    close: () => readers.close(),
  };
}

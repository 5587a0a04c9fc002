// Public API of @kazashi/card-agent.
export { CardAgent, type CardAgentOptions, type ReaderSource } from './agent.js';
export { MemoryReaderSource } from './memorySource.js';
export { openPcscSource } from './pcscSource.js';
export * from './protocol.js';

export * from './residentNumber.js';
export * from './cardAgentProtocol.js';

// Test and demo doubles of the My Number Card: never used against real residents.
export * from './ca.js';
export { VirtualMyNumberCard, basicFourEf, type VirtualCardHolder, type VirtualCardOptions } from './card.js';
export {
  CARD_FILE_FORMAT,
  CARD_FILE_VERSION,
  encodeCardFile,
  decodeCardFile,
  validateCardData,
  type VirtualCardData,
  type VirtualCardKey,
  type VirtualPinState,
} from './cardFile.js';
export { connectToVpcd, encodeVpcdFrame, VpcdFrameReader, VpcdUnavailable, VPCD_PORT, type VpcdCard, type VpcdClose, type VpcdFrame, type VpcdLink, type VpcdOptions } from './vpcd.js';
export * from './pcscHarness.js';
export { lockPcsc, type PcscLockOptions } from './pcscLock.js';

// Public API of @kazashi/jpki: My Number Card clients over ISO/IEC 7816-4. Internals (channel
// state, PIN helpers) are reachable only through the classes and functions exported here.
export { x509 } from './x509.js';

export {
  JpkiError,
  WrongPin,
  PinLocked,
  LastTryRefused,
  InvalidPinFormat,
  NotAMyNumberCard,
  CardRemoved,
  ReaderUnavailable,
  MalformedResponse,
  CardStatusError,
  SecurityStatusNotSatisfied,
  JPKI_ERRORS,
  isJpkiError,
  type JpkiErrorCode,
  type KnownJpkiError,
  type JpkiErrorOptions,
  type LocalizedMessage,
  type PinKind,
} from './errors.js';

export {
  CommandApdu,
  parseResponse,
  responseBytes,
  SW,
  isOk,
  moreDataAvailable,
  correctLe,
  triesLeft,
  isWellFormedSw,
  describeSw,
  swHex,
  SHORT_LE_MAX,
  EXTENDED_LE_MAX,
  SHORT_LC_MAX,
  EXTENDED_LC_MAX,
  type ApduForm,
  type CommandApduFields,
  type ResponseApdu,
} from './apdu.js';

export { parseTlv, parseTlvs, readTlvHeader, tlvLength, findTlv, encodeTlv, type Tlv, type TlvHeader, type TlvParseOptions } from './tlv.js';

export type { CardTransport } from './transport.js';
export { CardChannel, errorForStatus, type ReadBinaryOptions } from './channel.js';
export { MemoryTransport, type ApduResponder, type MemoryTransportOptions } from './transports/memory.js';

export {
  JpkiClient,
  JPKI_AID,
  JPKI_EF,
  PIN_MAX_TRIES,
  SHA256_DIGEST_INFO_PREFIX,
  sha256DigestInfo,
  isValidPin,
  type JpkiCertificate,
  type JpkiKey,
  type VerifyPinOptions,
} from './jpkiAp.js';
export { CardInfoClient, CARD_INFO_AID, BASIC_FOUR_TAGS, parseBasicFour, type BasicFour } from './cardInfoAp.js';

export {
  identify,
  authenticate,
  readBasicFour,
  type IdentifyOptions,
  type IdentifyResult,
  type AuthenticateResult,
  type ReadBasicFourResult,
} from './operations.js';
export * from './transports/pcsc.js';

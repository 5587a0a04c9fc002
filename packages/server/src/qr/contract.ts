// The JSON shapes of the personal QR code API, written once: route schemas (validation, serialization,
// the OpenAPI document the web client's types are generated from) and the server's own types.
import { Strict, StringEnum, Timestamp, Type, type Static } from '../kernel/http/contract.js';

const str = Type.String();

/** Rotating (short-lived, accepted once) or a printed static card (until revoked). */
export const QrKind = StringEnum(['rotating', 'card'] as const);
export type QrKind = Static<typeof QrKind>;

/** A fresh rotating personal QR token. */
export const QrTokenView = Type.Object({
  token: str, expiresAt: Timestamp(),
  refreshInSeconds: Type.Integer({ description: 'When the screen should fetch the next token' }),
});
export type QrTokenView = Static<typeof QrTokenView>;

/** A printable static QR card, just issued (its token is shown this once). */
export const QrCardView = Type.Object({ cardId: str, token: str });
export type QrCardView = Static<typeof QrCardView>;

export const QrCardRevoked = Type.Object({ cardId: str, revokedAt: Timestamp() });
export type QrCardRevoked = Static<typeof QrCardRevoked>;

/** POST /api/municipalities/:code/qr/validate */
export const QrValidateRequest = Strict({ token: Type.String({ minLength: 1, maxLength: 512 }) });
export type QrValidateRequest = Static<typeof QrValidateRequest>;

/** A scanned token accepted: whose it is and which kind. */
export const QrValidation = Type.Object({ residentId: str, residentNumber: str, kind: QrKind });
export type QrValidation = Static<typeof QrValidation>;

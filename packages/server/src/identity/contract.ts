// The JSON shapes of the identity API (card challenges, verification, card bindings), written once:
// route schemas, the OpenAPI document the web client's types are generated from, the server's types.
import { Nullable, StringEnum, Timestamp, Type, type Static } from '../kernel/http/contract.js';

export const CardStatus = StringEnum(['active', 'suspended', 'replaced'] as const);
export type CardStatus = Static<typeof CardStatus>;

/** A card binding of a resident (staff view and the resident's own My page). */
export const CardBindingView = Type.Object({
  id: Type.String(),
  cardKey: Type.String(),
  residentId: Type.String(),
  status: CardStatus,
  boundAt: Timestamp(),
  suspendedAt: Nullable(Timestamp()),
  endedAt: Nullable(Timestamp()),
  replacedBy: Nullable(Type.String()),
});
export type CardBindingView = Static<typeof CardBindingView>;

export const ChallengeView = Type.Object({
  challengeId: Type.String(),
  challenge: Type.String({ description: '32 random bytes, base64url: what the card signs' }),
  expiresAt: Timestamp(),
});
export type ChallengeView = Static<typeof ChallengeView>;

export const VerifiedCard = Type.Object({
  cardKey: Type.String({ description: 'base64url(sha256(issuer DER || serial))' }),
  notAfter: Timestamp(),
  verifiedAt: Timestamp(),
});
export type VerifiedCard = Static<typeof VerifiedCard>;

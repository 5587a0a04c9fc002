import { char, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { municipality } from '../municipality/schema.js';

/**
 * A single-use challenge for one card touch, bound to the purpose it was issued for and to the staff
 * session that asked for it. The session is kept only as a hash (never the cookie token), and no
 * certificate is stored: a verified card is known by its `cardKey` in the audit trail.
 */
export const identityChallenge = pgTable(
  'identity_challenge',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityCode: char('municipality_code', { length: 6 }).notNull().references(() => municipality.code),
    purpose: text('purpose').notNull(),
    /** SHA-256 of the session token, domain-separated from the session table's own hash. */
    sessionHash: text('session_hash').notNull(),
    /** The 32 random bytes the card signs, base64url. */
    challenge: text('challenge').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** Set once, atomically, by the one verification that consumes the challenge. */
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [index('identity_challenge_expiry_idx').on(t.municipalityCode, t.expiresAt)],
);

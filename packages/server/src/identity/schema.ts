import { sql } from 'drizzle-orm';
import { char, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { municipality } from '../municipality/index.js';
import { resident } from '../resident/index.js';

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

/**
 * A My Number Card bound to a resident. The card is known only by its `cardKey` (hash of issuer and
 * serial). `active` cards log in; `suspended` (lost) and `replaced` (renewed) do not. A renewal binds
 * the new card to the same resident and points the old binding at it (`replaced_by`).
 */
export const cardBinding = pgTable(
  'card_binding',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityCode: char('municipality_code', { length: 6 }).notNull().references(() => municipality.code),
    cardKey: text('card_key').notNull(),
    residentId: uuid('resident_id').notNull().references(() => resident.id),
    status: text('status', { enum: ['active', 'suspended', 'replaced'] }).notNull().default('active'),
    boundAt: timestamp('bound_at', { withTimezone: true }).notNull().defaultNow(),
    suspendedAt: timestamp('suspended_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    replacedBy: uuid('replaced_by'),
  },
  (t) => [
    uniqueIndex('card_binding_card_uq').on(t.municipalityCode, t.cardKey),
    // At most one card in use per resident.
    uniqueIndex('card_binding_active_uq').on(t.municipalityCode, t.residentId).where(sql`status = 'active'`),
    index('card_binding_resident_idx').on(t.residentId),
  ],
);

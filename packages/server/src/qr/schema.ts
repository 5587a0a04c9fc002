import { char, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { municipality } from '../municipality/index.js';
import { resident } from '../resident/index.js';

/**
 * The jti of every rotating QR token accepted once. The unique index is what makes a token
 * single-use: a second validation of the same token inserts nothing and is refused as a replay.
 */
export const qrTokenUse = pgTable(
  'qr_token_use',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityCode: char('municipality_code', { length: 6 }).notNull().references(() => municipality.code),
    jti: text('jti').notNull(),
    residentId: uuid('resident_id').notNull().references(() => resident.id),
    usedAt: timestamp('used_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the token expired anyway: rows older than this can be pruned without weakening replay protection. */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('qr_token_use_jti_uq').on(t.municipalityCode, t.jti)],
);

/** A printable static QR card for a resident without a phone: no expiry, many uses, revocable. */
export const qrCard = pgTable(
  'qr_card',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityCode: char('municipality_code', { length: 6 }).notNull().references(() => municipality.code),
    residentId: uuid('resident_id').notNull().references(() => resident.id),
    issuedBy: text('issued_by').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('qr_card_resident_idx').on(t.municipalityCode, t.residentId)],
);

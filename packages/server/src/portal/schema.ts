import { char, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { municipality } from '../municipality/index.js';
import { resident } from '../resident/index.js';

/**
 * A resident's logged-in session (My page, OIDC login), started by a card touch. The cookie token is
 * kept only as a hash. `acr` records how the resident proved themselves (card + PIN, or touch only on
 * a kiosk flow the municipality allows), so services can demand the stronger one.
 */
export const residentSession = pgTable(
  'resident_session',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** SHA-256 of the cookie token, domain-separated. */
    tokenHash: text('token_hash').notNull().unique(),
    municipalityCode: char('municipality_code', { length: 6 }).notNull().references(() => municipality.code),
    residentId: uuid('resident_id').notNull().references(() => resident.id),
    csrfToken: text('csrf_token').notNull(),
    /** urn:kazashi:acr:card-pin | urn:kazashi:acr:card-touch */
    acr: text('acr').notNull(),
    /** Where the session began: web (own PC/phone with a reader), kiosk, counter. */
    channel: text('channel').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [index('resident_session_resident_idx').on(t.municipalityCode, t.residentId)],
);

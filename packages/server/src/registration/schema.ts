import { char, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { municipality } from '../municipality/index.js';
import { resident } from '../resident/index.js';

/**
 * A consent record in the shape of ISO/IEC TS 27560: the subject (resident), the controller (the
 * municipality), the purpose, the scope (service ids and data categories), the recipients (municipality
 * codes of the joint-use group), when it was given and withdrawn, and the version of the terms.
 */
export const consentRecord = pgTable(
  'consent_record',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityCode: char('municipality_code', { length: 6 }).notNull().references(() => municipality.code),
    residentId: uuid('resident_id').notNull().references(() => resident.id),
    purpose: text('purpose').notNull(),
    services: text('services').array().notNull().default([]),
    categories: text('categories').array().notNull().default([]),
    recipients: text('recipients').array().notNull().default([]),
    termsVersion: text('terms_version').notNull(),
    givenAt: timestamp('given_at', { withTimezone: true }).notNull().defaultNow(),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
  },
  (t) => [index('consent_record_resident_idx').on(t.municipalityCode, t.residentId)],
);

import { char, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { municipality } from '../municipality/index.js';

/**
 * A resident as the shared database knows them: a pseudonymous id and operational state only.
 * Name, address, birth date and every other personal field live in the municipality's vault.
 */
export const resident = pgTable('resident', {
  id: uuid('id').primaryKey().defaultRandom(),
  municipalityCode: char('municipality_code', { length: 6 }).notNull().references(() => municipality.code),
  /**
   * The municipal resident ID (住民ID, see number.ts): unique within the municipality, never changed.
   * Nullable only so the column could be added to existing rows; every resident registered since has one.
   */
  residentNumber: char('resident_number', { length: 6 }),
  /** Data categories this resident has in the vault (e.g. basic, contact); names only, no values. */
  categories: text('categories').array().notNull().default([]),
  status: text('status').notNull().default('active'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('resident_number_uq').on(t.municipalityCode, t.residentNumber)]);

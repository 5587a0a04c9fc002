import { bigint, bigserial, char, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { municipality } from '../municipality/index.js';

/**
 * Append-only, hash-chained per municipality: `hash = sha256(prevHash || canonical entry)`.
 * The app role may only SELECT and INSERT; a trigger refuses UPDATE and DELETE for everyone.
 */
export const auditEntry = pgTable(
  'audit_entry',
  {
    municipalityCode: char('municipality_code', { length: 6 }).notNull().references(() => municipality.code),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    residentId: uuid('resident_id'),
    purpose: text('purpose').notNull(),
    categories: text('categories').array().notNull(),
    fields: text('fields').array().notNull(),
    requestId: text('request_id').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [primaryKey({ columns: [t.municipalityCode, t.seq] })],
);

/** Chain heads, kept by a trigger, so that deleting the newest entry is also detected. */
export const auditHead = pgTable('audit_head', {
  municipalityCode: char('municipality_code', { length: 6 }).primaryKey().references(() => municipality.code),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
});

/**
 * Entries written by requests, waiting for the sealer to give them their place in the chain
 * (migration 0016). The app role may only SELECT and INSERT; a trigger refuses UPDATE.
 */
export const auditPending = pgTable(
  'audit_pending',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    municipalityCode: char('municipality_code', { length: 6 }).notNull().references(() => municipality.code),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    residentId: uuid('resident_id'),
    purpose: text('purpose').notNull(),
    categories: text('categories').array().notNull(),
    fields: text('fields').array().notNull(),
    requestId: text('request_id').notNull(),
    canonical: text('canonical').notNull(),
  },
  (t) => [index('audit_pending_code_idx').on(t.municipalityCode, t.id)],
);

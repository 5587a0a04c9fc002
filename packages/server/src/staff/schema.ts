import { bigint, boolean, char, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { municipality } from '../municipality/index.js';

export const staffAccount = pgTable('staff_account', {
  id: uuid('id').primaryKey().defaultRandom(),
  municipalityCode: char('municipality_code', { length: 6 }).notNull().references(() => municipality.code),
  loginName: text('login_name').notNull().unique(),
  displayName: text('display_name').notNull(),
  roles: text('roles').array().notNull(),
  passwordHash: text('password_hash').notNull(),
  /** TOTP secret, AES-256-GCM encrypted with the server secret. */
  totpSecretEnc: text('totp_secret_enc').notNull(),
  totpEnrolled: boolean('totp_enrolled').notNull().default(false),
  /** Last accepted TOTP time step: a code is never accepted twice. */
  lastTotpStep: bigint('last_totp_step', { mode: 'number' }).notNull().default(0),
  failedAttempts: integer('failed_attempts').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  disabled: boolean('disabled').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const staffSession = pgTable('staff_session', {
  /** SHA-256 of the cookie token; the token itself is never stored. */
  tokenHash: text('token_hash').primaryKey(),
  staffId: uuid('staff_id').notNull().references(() => staffAccount.id, { onDelete: 'cascade' }),
  municipalityCode: char('municipality_code', { length: 6 }).notNull().references(() => municipality.code),
  csrfToken: text('csrf_token').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

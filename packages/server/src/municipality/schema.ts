import { boolean, char, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** A tenant: one 地方公共団体, keyed by its 6-digit 全国地方公共団体コード. Public, non-personal facts only. */
export const municipality = pgTable('municipality', {
  code: char('code', { length: 6 }).primaryKey(),
  nameJa: text('name_ja').notNull(),
  nameEn: text('name_en').notNull(),
  prefectureJa: text('prefecture_ja').notNull(),
  prefectureEn: text('prefecture_en').notNull(),
  /** Where this municipality's personal-data vault lives: embedded | postgres | remote. */
  vaultLocation: text('vault_location').notNull().default('embedded'),
  /** postgres: connection URL; remote: base URL. `${ENV}` placeholders are expanded so secrets stay in the environment. */
  vaultUrl: text('vault_url'),
  /** remote: the vault service's Ed25519 public key (PEM), used to verify its signed responses. */
  vaultPublicKey: text('vault_public_key'),
  /** True while `vault migrate` copies records; writes are refused, reads keep using the old location. */
  vaultMigrating: boolean('vault_migrating').notNull().default(false),
  /** Kiosk flows where a touch without PIN may start a (weaker, card-touch) resident session, e.g. shelter-reentry. */
  touchOnlyFlows: text('touch_only_flows').array().notNull().default([]),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** 共同利用グループ: municipalities that share the platform under one agreement. */
export const jointUseGroup = pgTable('joint_use_group', {
  id: uuid('id').primaryKey().defaultRandom(),
  nameJa: text('name_ja').notNull(),
  nameEn: text('name_en').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One member of a group and the services it has joined under the agreement. */
export const jointUseMembership = pgTable(
  'joint_use_membership',
  {
    groupId: uuid('group_id').notNull().references(() => jointUseGroup.id, { onDelete: 'cascade' }),
    municipalityCode: char('municipality_code', { length: 6 }).notNull().references(() => municipality.code),
    services: text('services').array().notNull().default([]),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.municipalityCode] })],
);

import { char, index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { municipality } from '../municipality/index.js';

/**
 * A joint-use service registered by a municipal admin as an OpenID Connect client. The secret (for
 * confidential clients) is sealed with the server key; public clients use PKCE only.
 */
export const oidcClient = pgTable('oidc_client', {
  clientId: text('client_id').primaryKey(),
  municipalityCode: char('municipality_code', { length: 6 }).notNull().references(() => municipality.code),
  nameJa: text('name_ja').notNull(),
  nameEn: text('name_en').notNull(),
  redirectUris: text('redirect_uris').array().notNull(),
  postLogoutRedirectUris: text('post_logout_redirect_uris').array().notNull().default([]),
  /** Scopes the client may ask for (openid always); the resident still consents per client. */
  scopes: text('scopes').array().notNull(),
  /** client_secret_basic | client_secret_post | none */
  tokenEndpointAuthMethod: text('token_endpoint_auth_method').notNull(),
  secretSealed: text('secret_sealed'),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  disabledAt: timestamp('disabled_at', { withTimezone: true }),
});

/**
 * oidc-provider's own state (sessions, interactions, grants, codes, tokens), one row per model + id.
 * Platform-level: the issuer is shared by every municipality; accountIds inside are pseudonymous.
 */
export const oidcPayload = pgTable(
  'oidc_payload',
  {
    model: text('model').notNull(),
    id: text('id').notNull(),
    payload: jsonb('payload').notNull(),
    grantId: text('grant_id'),
    userCode: text('user_code'),
    uid: text('uid'),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    consumedAt: timestamp('consumed_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.model, t.id] }), index('oidc_payload_grant_idx').on(t.grantId), index('oidc_payload_uid_idx').on(t.uid), index('oidc_payload_expiry_idx').on(t.expiresAt)],
);

// The platform database schema, gathered for Drizzle and drizzle-kit. Each table is owned by its domain.
export * from '../municipality/schema.js';
export * from '../staff/schema.js';
export * from '../audit/schema.js';
export * from '../resident/schema.js';
export * from '../identity/schema.js';
export * from '../registration/schema.js';
export * from '../qr/schema.js';
export * from '../portal/schema.js';
export * from '../oidc/schema.js';
export * from '../shelter/schema.js';

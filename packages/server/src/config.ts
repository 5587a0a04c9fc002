import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { EnvReader } from './kernel/env.js';

/** Everything the server reads from the environment, in one place (the README's table mirrors this). */
export interface Config {
  /** Production hardening: refuses demo seeding, requires configured keys, secure cookies. */
  production: boolean;
  port: number;
  host: string;
  /** PGlite data directory (embedded platform DB, embedded vaults, demo keys). */
  dataDir: string;
  /** PostgreSQL URL of the platform database, owner role (runs migrations). Unset: embedded PGlite. */
  databaseUrl?: string;
  /** Optional PostgreSQL URL for the running app, as a login role that is a member of kazashi_app. */
  databaseAppUrl?: string;
  /** Server processes on one port (PostgreSQL only; the embedded database serves one). */
  workers: number;
  /** JSON file with per-municipality vault data keys: { "282227": { "current": "k1", "keys": { "k1": "<base64 32 bytes>" } } } */
  vaultKeysFile: string;
  /** PKCS#8 PEM file of the platform's Ed25519 key used to sign requests to remote vaults. */
  vaultClientKeyFile: string;
  /** Server secret for encrypting TOTP secrets at rest (base64, 32 bytes); generated into dataDir when unset outside production. */
  secretKeyFile: string;
  cookieSecure: boolean;
  sessionTtlMinutes: number;
  loginMaxAttempts: number;
  lockoutMinutes: number;
  loginRateLimitPerMinute: number;
  bodyLimitBytes: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Seed the demo municipalities on first start (never in production). */
  seedDemo: boolean;
  /** With the demo: a flood under way in 養父市 (open shelters, people checked in), so every screen shows something. */
  demoDisaster: boolean;
  /** Lifetime of a card-touch challenge (identity domain). */
  challengeTtlSeconds: number;
  /** PEM/DER files of the JPKI user-authentication CA certificates to trust. Empty outside production: the demo test CA. */
  jpkiTrustAnchors: string[];
  /** CRL files (DER or PEM) consulted for revocation; re-read when they change on disk. */
  jpkiCrlFiles: string[];
  /** OCSP responder URL consulted for revocation. */
  jpkiOcspUrl?: string;
  /** Lifetime of a rotating personal QR token. */
  qrTtlSeconds: number;
  /** QR validations per minute per client address. */
  qrRateLimitPerMinute: number;
  /** Resident-ID lookups per minute per staff session (guessing IDs at the counter is enumeration). */
  residentLookupRateLimitPerMinute: number;
  /** The server's public origin (e.g. https://kazashi.example.jp); the OpenID Connect issuer is `${publicUrl}/oidc`. Default http://localhost:PORT. */
  publicUrl: string;
  /** Private JWKS (RS256 + ES256) the OpenID Connect provider signs ID tokens with; generated into dataDir when unset outside production. */
  oidcJwksFile: string;
  /** Absolute lifetime of a resident's own (web) session, started by card + PIN. */
  residentSessionMinutes: number;
  /** Absolute lifetime of a resident session started at a kiosk (shared device: short). */
  kioskSessionMinutes: number;
  /** How long (ms) an instance may reuse a staff session lookup; 0 looks it up on every request. */
  sessionCacheMs: number;
  /** Safety searches (安否確認) per resident per hour: more looks like enumeration. */
  safetySearchPerHour: number;
  /**
   * Addresses or CIDR ranges of the reverse proxies (load balancers) in front of the server. Only a
   * request arriving from one of them has its X-Forwarded-For believed; from anywhere else the
   * connection's own address is the client's, so a client cannot pick the address that per-address
   * limits (logins, QR validation) count. Empty: no proxy is trusted.
   */
  trustedProxies: string[];
  /** Shelter check-ins written together (group commit): most per transaction, transactions per municipality at once. */
  checkInBatch: { maxBatch: number; maxInFlight: number };
}

/** Names proxy-addr knows for address ranges: 127.0.0.0/8 + ::1, link-local, unique-local (private). */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** KAZASHI_TRUSTED_PROXIES: comma-separated IP addresses, CIDR ranges (IPv4 or IPv6), or loopback / linklocal / uniquelocal. */
export function parseTrustedProxies(value: string | undefined): string[] {
  const out: string[] = [];
  for (const entry of (value ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    if (PROXY_RANGE_NAMES.has(entry)) {
      out.push(entry);
      continue;
    }
    const [addr, prefix, extra] = entry.split('/');
    const family = net.isIP(addr ?? '');
    const bits = family === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
    if (!family || !prefixOk || extra !== undefined) {
      throw new Error(`KAZASHI_TRUSTED_PROXIES: "${entry}" is not an IP address, a CIDR range or one of loopback, linklocal, uniquelocal (e.g. 10.0.0.5, 10.0.0.0/24, fd00::/8)`);
    }
    out.push(entry);
  }
  return out;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const MINUTE = 60;
const DAY_MINUTES = 24 * 60;

/**
 * Reads the whole configuration; a malformed or out-of-range value stops start-up with a
 * ConfigError naming every such variable (README, Configuration).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = new EnvReader(env);
  const production = env.NODE_ENV === 'production';
  const dataDir = e.file('KAZASHI_DATA_DIR', './data');
  const port = e.int('PORT', 8080, { min: 0, max: 65535 });
  const databaseUrl = e.url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const cpus = os.availableParallelism();
  const workers = e.int('KAZASHI_WORKERS', databaseUrl ? cpus : 1, { min: 1, max: 64 });
  if (workers > 1 && !databaseUrl) e.problem(`KAZASHI_WORKERS=${workers} needs DATABASE_URL: the embedded database serves one process`);
  const config: Config = {
    production,
    port,
    host: e.text('HOST', '0.0.0.0'),
    dataDir,
    databaseUrl,
    databaseAppUrl: e.url('DATABASE_APP_URL', ['postgres:', 'postgresql:']),
    workers,
    vaultKeysFile: e.file('KAZASHI_VAULT_KEYS_FILE', path.join(dataDir, 'keys', 'vault-keys.json')),
    vaultClientKeyFile: e.file('KAZASHI_VAULT_CLIENT_KEY_FILE', path.join(dataDir, 'keys', 'vault-client.pem')),
    secretKeyFile: e.file('KAZASHI_SECRET_KEY_FILE', path.join(dataDir, 'keys', 'secret.key')),
    cookieSecure: e.bool('KAZASHI_COOKIE_SECURE', production),
    sessionTtlMinutes: e.int('KAZASHI_SESSION_TTL_MINUTES', 30, { min: 1, max: DAY_MINUTES }),
    loginMaxAttempts: e.int('KAZASHI_LOGIN_MAX_ATTEMPTS', 5, { min: 1, max: 100 }),
    lockoutMinutes: e.int('KAZASHI_LOCKOUT_MINUTES', 15, { min: 1, max: DAY_MINUTES }),
    loginRateLimitPerMinute: e.int('KAZASHI_LOGIN_RATE_LIMIT', 20, { min: 1, max: 10_000_000 }),
    bodyLimitBytes: e.int('KAZASHI_BODY_LIMIT', 64 * 1024, { min: 1024, max: 64 * 1024 * 1024 }),
    logLevel: e.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    seedDemo: e.bool('KAZASHI_SEED_DEMO', !production),
    // Test servers (NODE_ENV=test: browser suites, benchmarks) start calm: they declare their own disasters.
    demoDisaster: e.bool('KAZASHI_DEMO_DISASTER', !production && env.NODE_ENV !== 'test'),
    challengeTtlSeconds: e.int('KAZASHI_CHALLENGE_TTL_SECONDS', 120, { min: 10, max: 60 * MINUTE }),
    jpkiTrustAnchors: e.files('KAZASHI_JPKI_TRUST_ANCHORS'),
    jpkiCrlFiles: e.files('KAZASHI_JPKI_CRL_FILES'),
    jpkiOcspUrl: e.url('KAZASHI_JPKI_OCSP_URL', ['http:', 'https:']),
    qrTtlSeconds: e.int('KAZASHI_QR_TTL_SECONDS', 60, { min: 10, max: 60 * MINUTE }),
    qrRateLimitPerMinute: e.int('KAZASHI_QR_RATE_LIMIT', 60, { min: 1, max: 10_000_000 }),
    residentLookupRateLimitPerMinute: e.int('KAZASHI_RESIDENT_LOOKUP_RATE_LIMIT', 60, { min: 1, max: 10_000_000 }),
    publicUrl: (e.url('KAZASHI_PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    oidcJwksFile: e.file('KAZASHI_OIDC_JWKS_FILE', path.join(dataDir, 'keys', 'oidc-jwks.json')),
    residentSessionMinutes: e.int('KAZASHI_RESIDENT_SESSION_MINUTES', 30, { min: 1, max: DAY_MINUTES }),
    kioskSessionMinutes: e.int('KAZASHI_KIOSK_SESSION_MINUTES', 5, { min: 1, max: 120 }),
    safetySearchPerHour: e.int('KAZASHI_SAFETY_SEARCH_LIMIT', 10, { min: 1, max: 10_000 }),
    sessionCacheMs: e.int('KAZASHI_SESSION_CACHE_MS', 1000, { min: 0, max: 60_000 }),
    trustedProxies: e.parsed('KAZASHI_TRUSTED_PROXIES', parseTrustedProxies, []),
    checkInBatch: {
      maxBatch: e.int('KAZASHI_CHECKIN_BATCH_MAX', 64, { min: 1, max: 1000 }),
      maxInFlight: e.int('KAZASHI_CHECKIN_BATCH_IN_FLIGHT', 2, { min: 1, max: 64 }),
    },
  };
  e.done();
  return config;
}

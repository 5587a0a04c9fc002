import net from 'node:net';
import path from 'node:path';

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
  logLevel: string;
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

/** A comma-separated list of file paths, resolved against the working directory. */
function paths(value: string | undefined): string[] {
  return (value ?? '').split(',').map((p) => p.trim()).filter(Boolean).map((p) => path.resolve(p));
}

function int(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number.parseInt(value, 10);
  if (!Number.isFinite(n)) throw new Error(`not an integer: ${value}`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const dataDir = path.resolve(env.KAZASHI_DATA_DIR ?? './data');
  return {
    production,
    port: int(env.PORT, 8080),
    host: env.HOST ?? '0.0.0.0',
    dataDir,
    databaseUrl: env.DATABASE_URL || undefined,
    databaseAppUrl: env.DATABASE_APP_URL || undefined,
    vaultKeysFile: path.resolve(env.KAZASHI_VAULT_KEYS_FILE ?? path.join(dataDir, 'keys', 'vault-keys.json')),
    vaultClientKeyFile: path.resolve(env.KAZASHI_VAULT_CLIENT_KEY_FILE ?? path.join(dataDir, 'keys', 'vault-client.pem')),
    secretKeyFile: path.resolve(env.KAZASHI_SECRET_KEY_FILE ?? path.join(dataDir, 'keys', 'secret.key')),
    cookieSecure: env.KAZASHI_COOKIE_SECURE ? env.KAZASHI_COOKIE_SECURE === 'true' : production,
    sessionTtlMinutes: int(env.KAZASHI_SESSION_TTL_MINUTES, 30),
    loginMaxAttempts: int(env.KAZASHI_LOGIN_MAX_ATTEMPTS, 5),
    lockoutMinutes: int(env.KAZASHI_LOCKOUT_MINUTES, 15),
    loginRateLimitPerMinute: int(env.KAZASHI_LOGIN_RATE_LIMIT, 20),
    bodyLimitBytes: int(env.KAZASHI_BODY_LIMIT, 64 * 1024),
    logLevel: env.LOG_LEVEL ?? 'info',
    seedDemo: env.KAZASHI_SEED_DEMO ? env.KAZASHI_SEED_DEMO === 'true' : !production,
    // Test servers (NODE_ENV=test: browser suites, benchmarks) start calm: they declare their own disasters.
    demoDisaster: env.KAZASHI_DEMO_DISASTER ? env.KAZASHI_DEMO_DISASTER === 'true' : !production && env.NODE_ENV !== 'test',
    challengeTtlSeconds: int(env.KAZASHI_CHALLENGE_TTL_SECONDS, 120),
    jpkiTrustAnchors: paths(env.KAZASHI_JPKI_TRUST_ANCHORS),
    jpkiCrlFiles: paths(env.KAZASHI_JPKI_CRL_FILES),
    jpkiOcspUrl: env.KAZASHI_JPKI_OCSP_URL || undefined,
    qrTtlSeconds: int(env.KAZASHI_QR_TTL_SECONDS, 60),
    qrRateLimitPerMinute: int(env.KAZASHI_QR_RATE_LIMIT, 60),
    residentLookupRateLimitPerMinute: int(env.KAZASHI_RESIDENT_LOOKUP_RATE_LIMIT, 60),
    publicUrl: (env.KAZASHI_PUBLIC_URL || `http://localhost:${int(env.PORT, 8080)}`).replace(/\/+$/, ''),
    oidcJwksFile: path.resolve(env.KAZASHI_OIDC_JWKS_FILE ?? path.join(dataDir, 'keys', 'oidc-jwks.json')),
    residentSessionMinutes: int(env.KAZASHI_RESIDENT_SESSION_MINUTES, 30),
    kioskSessionMinutes: int(env.KAZASHI_KIOSK_SESSION_MINUTES, 5),
    safetySearchPerHour: int(env.KAZASHI_SAFETY_SEARCH_LIMIT, 10),
    sessionCacheMs: int(env.KAZASHI_SESSION_CACHE_MS, 1000),
    trustedProxies: parseTrustedProxies(env.KAZASHI_TRUSTED_PROXIES),
    checkInBatch: { maxBatch: int(env.KAZASHI_CHECKIN_BATCH_MAX, 64), maxInFlight: int(env.KAZASHI_CHECKIN_BATCH_IN_FLIGHT, 2) },
  };
}

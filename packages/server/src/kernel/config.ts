import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { EnvReader } from './env.js';

/**
 * The settings every module shares: where the server listens and keeps its data, its databases and
 * secrets, the HTTP limits and trust. Each module reads its own settings (its `config` slice); the
 * wiring (src/config.ts) puts them together and the README's table lists them all.
 */
export interface KernelConfig {
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
  /** Server secret (base64, 32 bytes): encrypts TOTP secrets at rest, keys derived values; generated into dataDir when unset outside production. */
  secretKeyFile: string;
  cookieSecure: boolean;
  /** Login attempts per minute per client address (staff and resident logins alike). */
  loginRateLimitPerMinute: number;
  bodyLimitBytes: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Seed the demo municipalities on first start (never in production). */
  seedDemo: boolean;
  /** With the demo: a scenario under way (a flood in 養父市: open shelters, people checked in), so every screen shows something. */
  demoDisaster: boolean;
  /** The server's public origin (e.g. https://kazashi.example.jp); the OpenID Connect issuer is `${publicUrl}/oidc`. Default http://localhost:PORT. */
  publicUrl: string;
  /**
   * Addresses or CIDR ranges of the reverse proxies (load balancers) in front of the server. Only a
   * request arriving from one of them has its X-Forwarded-For believed; from anywhere else the
   * connection's own address is the client's, so a client cannot pick the address that per-address
   * limits (logins, QR validation) count. Empty: no proxy is trusted.
   */
  trustedProxies: string[];
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

/** The kernel's settings, read strictly (problems are collected in `e`; the caller calls `e.done()`). */
export function readKernelConfig(e: EnvReader, env: NodeJS.ProcessEnv): KernelConfig {
  const production = env.NODE_ENV === 'production';
  const dataDir = e.file('KAZASHI_DATA_DIR', './data');
  const port = e.int('PORT', 8080, { min: 0, max: 65535 });
  const databaseUrl = e.url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const workers = e.int('KAZASHI_WORKERS', databaseUrl ? os.availableParallelism() : 1, { min: 1, max: 64 });
  if (workers > 1 && !databaseUrl) e.problem(`KAZASHI_WORKERS=${workers} needs DATABASE_URL: the embedded database serves one process`);
  return {
    production,
    port,
    host: e.text('HOST', '0.0.0.0'),
    dataDir,
    databaseUrl,
    databaseAppUrl: e.url('DATABASE_APP_URL', ['postgres:', 'postgresql:']),
    workers,
    secretKeyFile: e.file('KAZASHI_SECRET_KEY_FILE', path.join(dataDir, 'keys', 'secret.key')),
    cookieSecure: e.bool('KAZASHI_COOKIE_SECURE', production),
    loginRateLimitPerMinute: e.int('KAZASHI_LOGIN_RATE_LIMIT', 20, { min: 1, max: 10_000_000 }),
    bodyLimitBytes: e.int('KAZASHI_BODY_LIMIT', 64 * 1024, { min: 1024, max: 64 * 1024 * 1024 }),
    logLevel: e.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    seedDemo: e.bool('KAZASHI_SEED_DEMO', !production),
    // Test servers (NODE_ENV=test: browser suites, benchmarks) start calm: they make their own scenarios.
    demoDisaster: e.bool('KAZASHI_DEMO_DISASTER', !production && env.NODE_ENV !== 'test'),
    publicUrl: (e.url('KAZASHI_PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    trustedProxies: e.parsed('KAZASHI_TRUSTED_PROXIES', parseTrustedProxies, []),
  };
}

/**
 * What a database error means, in one place. Drivers wrap the server's error (drizzle puts it in
 * `cause`), so every helper walks the cause chain.
 */

interface ErrorLike {
  code?: unknown;
  constraint?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

function* chain(e: unknown): Generator<ErrorLike> {
  const seen = new Set<unknown>();
  for (let x: unknown = e; x && typeof x === 'object' && !seen.has(x); x = (x as ErrorLike).cause) {
    seen.add(x);
    yield x as ErrorLike;
    // net's connect errors for several addresses (IPv4 and IPv6 of localhost) come as an AggregateError.
    const inner = (x as ErrorLike).errors;
    if (Array.isArray(inner)) for (const i of inner) if (i && typeof i === 'object') yield i as ErrorLike;
  }
}

/** The SQLSTATE (or Node errno code) of the first error in the chain that has one. */
export function pgErrorCode(e: unknown): string | undefined {
  for (const x of chain(e)) if (typeof x.code === 'string') return x.code;
  return undefined;
}

/** A unique index refused the row (`constraint`: only that index). */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  for (const x of chain(e)) {
    if (x.code !== '23505') continue;
    if (!constraint || x.constraint === constraint || (typeof x.message === 'string' && x.message.includes(constraint))) return true;
  }
  return false;
}

// Bad text representation, datetime format or field overflow; a character the encoding cannot hold
// (U+0000 in text: 22021), untranslatable characters.
const INVALID_VALUE_SQLSTATES = new Set(['22P02', '22007', '22008', '22021', '22P05']);

/** Input PostgreSQL refuses as a value (bad uuid, date or time text, a NUL in text): the client's mistake. */
export function isInvalidValue(e: unknown): boolean {
  const code = pgErrorCode(e);
  return code !== undefined && INVALID_VALUE_SQLSTATES.has(code);
}

// SQLSTATE classes and codes that mean "the server is not there for us right now": connection
// exceptions (08), the server shutting down or starting (57P01–57P03), too many connections.
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006', '08007']);
const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);
// node-postgres says these in words only.
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'connection error and is not queryable',
  'timeout exceeded when trying to connect',
  'Client was closed and is not queryable',
  'Connection ended unexpectedly',
  'terminating connection',
];

/**
 * The database cannot be reached or dropped the connection (restart, failover, a terminated backend,
 * a full pool that timed out): an outage to ride out with a retryable 503, never a 500.
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  for (const x of chain(e)) {
    if (typeof x.code === 'string' && (UNAVAILABLE_SQLSTATES.has(x.code) || UNAVAILABLE_ERRNOS.has(x.code))) return true;
    if (typeof x.message === 'string' && UNAVAILABLE_MESSAGES.some((m) => (x.message as string).includes(m))) return true;
  }
  return false;
}

/**
 * Runs `attempt` until it succeeds or fails for another reason than an unreachable database
 * (a server started during an outage, or a worker replaced in one, waits for the database instead
 * of exiting). `waiting` hears each retry; the pause doubles up to `maxMs`.
 */
export async function whileDatabaseUnavailable<T>(
  attempt: () => Promise<T>,
  waiting: (e: unknown, retryInMs: number) => void,
  opts: { firstMs?: number; maxMs?: number } = {},
): Promise<T> {
  let pause = opts.firstMs ?? 500;
  for (;;) {
    try {
      return await attempt();
    } catch (e) {
      if (!isDatabaseUnavailable(e)) throw e;
      waiting(e, pause);
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(pause * 2, opts.maxMs ?? 10_000);
    }
  }
}

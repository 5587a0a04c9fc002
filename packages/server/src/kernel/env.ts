import path from 'node:path';

/** A start-up setting that is malformed or out of range: the message names every such variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads environment variables strictly: "12abc" is not 12, a negative count is not a count,
 * "yes" is not a boolean. Every problem is collected, so one start-up names them all
 * (`done()` throws a ConfigError); a value left unset takes its default.
 */
export class EnvReader {
  private readonly problems: string[] = [];

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** The raw value; empty counts as unset. */
  raw(name: string): string | undefined {
    const v = this.env[name];
    return v === undefined || v === '' ? undefined : v;
  }

  /** A whole number in [min, max]. */
  int(name: string, fallback: number, range: { min: number; max: number }): number {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    if (!/^-?\d+$/.test(v.trim())) return this.fail(name, v, `a whole number from ${range.min} to ${range.max}`, fallback);
    const n = Number(v.trim());
    if (!Number.isSafeInteger(n) || n < range.min || n > range.max) return this.fail(name, v, `a whole number from ${range.min} to ${range.max}`, fallback);
    return n;
  }

  /** `true` or `false` (also `1` / `0`). */
  bool(name: string, fallback: boolean): boolean {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    const s = v.trim().toLowerCase();
    if (s === 'true' || s === '1') return true;
    if (s === 'false' || s === '0') return false;
    return this.fail(name, v, 'true or false', fallback);
  }

  /** One of `values`. */
  oneOf<T extends string>(name: string, values: readonly T[], fallback: T): T {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    if ((values as readonly string[]).includes(v.trim())) return v.trim() as T;
    return this.fail(name, v, `one of ${values.join(', ')}`, fallback);
  }

  /** An absolute URL with one of `protocols` (e.g. `['http:', 'https:']`). */
  url(name: string, protocols: string[]): string | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    try {
      const u = new URL(v.trim());
      if (protocols.includes(u.protocol)) return v.trim();
    } catch { /* reported below */ }
    return this.fail(name, redactUrl(v), `a URL (${protocols.map((p) => p.replace(/:$/, '')).join(' or ')})`, undefined);
  }

  /** Any text (a default applies when unset). */
  text(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  /** A file path, resolved against the working directory. */
  file(name: string, fallback: string): string {
    return path.resolve(this.raw(name) ?? fallback);
  }

  /** A comma-separated list of file paths, resolved against the working directory. */
  files(name: string): string[] {
    return (this.raw(name) ?? '').split(',').map((p) => p.trim()).filter(Boolean).map((p) => path.resolve(p));
  }

  /** A value checked by `parse`, which throws with what is wrong. */
  parsed<T>(name: string, parse: (value: string | undefined) => T, fallback: T): T {
    try {
      return parse(this.raw(name));
    } catch (e) {
      this.problems.push(e instanceof Error ? e.message : `${name}: ${String(e)}`);
      return fallback;
    }
  }

  /** Records a problem found by the caller (a rule over several variables). */
  problem(message: string): void {
    this.problems.push(message);
  }

  /** Throws a ConfigError naming every problem found so far. */
  done(): void {
    if (this.problems.length) throw new ConfigError(this.problems);
  }

  private fail<T>(name: string, value: string, expected: string, fallback: T): T {
    this.problems.push(`${name}=${JSON.stringify(value)} is not valid: expected ${expected}`);
    return fallback;
  }
}

/** A URL as text for a message, without its password. */
function redactUrl(v: string): string {
  return v.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

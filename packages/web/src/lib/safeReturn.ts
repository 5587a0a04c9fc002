/**
 * A `?return=` target that is safe to follow: a path on this origin only (no other host, no
 * `//host` or `/\host` tricks, no `javascript:`). Anything else gives `fallback`.
 *
 * @example
 * safeReturnPath('/my?tab=qr', '/my')        // '/my?tab=qr'
 * safeReturnPath('https://evil.example', '/my') // '/my'
 */
export function safeReturnPath(value: string | null | undefined, fallback: string): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  try {
    const base = window.location.origin;
    const url = new URL(value, base);
    if (url.origin !== base) return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}

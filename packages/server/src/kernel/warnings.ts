/** A warning for a background task that may fail again and again during an outage: at most once a minute. */
export function throttledWarning(what: string, everyMs = 60_000): (e: unknown) => void {
  let last = 0;
  return (e) => {
    if (Date.now() - last < everyMs) return;
    last = Date.now();
    process.emitWarning(`${what}: ${e instanceof Error ? e.message : String(e)}`);
  };
}

import { api } from '../../api/api';
import type { HqOverview } from '../../api/shelterTypes';
import { signedIn } from '../../session/auth';
import { isPlatformWide } from '../../session/SessionContext';

/**
 * Opening /hq directly (a bookmark, a reload in a disaster): ask for the overview while the app is
 * still starting. Otherwise it is asked for only after the bundle has run, the first render has
 * committed, the session check has answered and the page has mounted — about half a second on a busy
 * machine, with the server idle all that time. Here it needs only the session (for the municipality),
 * so both go out as soon as this module runs; useHqLive takes the answer if it is for its municipality.
 * The session answer is the app's session check too (signedIn): the staff layout then renders the
 * page at once instead of asking again after its first render.
 */

/** An answer older than this is not taken (the page was left open before it mounted, or re-mounted). */
const MAX_AGE_MS = 10_000;

interface Prefetched {
  at: number;
  /** The municipality, once the session has answered (undefined: not signed in, or it failed). */
  code: Promise<string | undefined>;
  overview: Promise<HqOverview | undefined>;
  /** Both, once the overview has arrived: the page's first render can show it at once. */
  arrived?: { code: string; overview: HqOverview };
}

let prefetched: Prefetched | undefined;

async function getJson<T>(path: string): Promise<T | undefined> {
  const res = await fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  // Anything but 200 (401, 403, 5xx) is left to the page's own request, which reports it properly.
  return res.ok ? ((await res.json()) as T) : undefined;
}

/** The municipality the page will show: as useMunicipalityScope decides (?m= for platform admins). */
function scopeOf(s: { staff: { municipalityCode: string }; permissions: string[] }): string {
  const m = new URLSearchParams(location.search).get('m');
  return isPlatformWide(s.permissions) && m ? m : s.staff.municipalityCode;
}

/** Called once at start-up (main.tsx); does nothing unless the address is the HQ page. */
export function prefetchHqOverview(): void {
  if (location.pathname !== '/hq' && location.pathname !== '/hq/') return;
  // api.session keeps the CSRF token for later writes, as the app's own check would. A failure (401:
  // not signed in) is left to that check, which then runs as usual.
  const code = api.session().then(
    (s) => {
      signedIn(s);
      return scopeOf(s);
    },
    () => undefined,
  );
  const overview = code.then((c) =>
    c ? getJson<HqOverview>(`/api/municipalities/${encodeURIComponent(c)}/hq/overview`).catch(() => undefined) : undefined,
  );
  const entry: Prefetched = { at: Date.now(), code, overview };
  void Promise.all([code, overview]).then(([c, o]) => {
    if (c && o) entry.arrived = { code: c, overview: o };
  });
  prefetched = entry;
}

/** The prefetched overview of `code` if it has already arrived, taken (once); otherwise undefined. */
export function takeArrivedOverview(code: string): HqOverview | undefined {
  const p = prefetched;
  if (!p?.arrived || p.arrived.code !== code || Date.now() - p.at > MAX_AGE_MS) return undefined;
  prefetched = undefined;
  return p.arrived.overview;
}

/**
 * The prefetched overview of `code`, once (a reload must ask the server again); undefined when there
 * is none, it is for another municipality, too old, or failed: then the caller fetches as usual.
 */
export async function takePrefetchedOverview(code: string): Promise<HqOverview | undefined> {
  const p = prefetched;
  prefetched = undefined;
  if (!p || Date.now() - p.at > MAX_AGE_MS) return undefined;
  if ((await p.code) !== code) return undefined;
  return p.overview;
}

import { useCallback, useEffect, useRef, useState } from 'react';
import type { HqOverview, ShelterSummary } from '../../api/shelterTypes';
import { hqApi } from './hqApi';
import { takeArrivedOverview, takePrefetchedOverview } from './prefetch';

export type LiveState = 'connecting' | 'live' | 'reconnecting';

export interface HqLive {
  /** The last overview fetched (disasters, outside counts, residents elsewhere); its shelters are in `shelters`. */
  overview: HqOverview | undefined;
  /** Live shelter rows by shelter id: one object per shelter, replaced only when that shelter changes. */
  shelters: ReadonlyMap<string, ShelterSummary>;
  live: LiveState;
  loading: boolean;
  error: unknown;
  /** Fetch the overview again (after a write, or on request). */
  reload: () => void;
}

/** How long events are gathered before one state update (a burst of check-ins renders once). */
const FLUSH_MS = 150;
/** `elsewhere` events come in bursts: at most one overview fetch per 3 s for them (it is the heaviest request). */
const ELSEWHERE_DEBOUNCE_MS = 3000;
/** When the browser gave up on the stream (e.g. an HTTP error), try again after this long. */
const RETRY_MS = 5000;

function time(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

/** Same fields, values and (one level down) needs and languages; a thousand rows are compared per overview. */
function sameSummary(a: ShelterSummary, b: ShelterSummary): boolean {
  const x = a as unknown as Record<string, unknown>;
  const y = b as unknown as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (const k of keys) {
    const u = x[k];
    const v = y[k];
    if (u === v) continue;
    if (typeof u !== 'object' || typeof v !== 'object' || u === null || v === null) return false;
    const uo = u as Record<string, unknown>;
    const vo = v as Record<string, unknown>;
    const inner = Object.keys(uo);
    if (inner.length !== Object.keys(vo).length || inner.some((i) => uo[i] !== vo[i])) return false;
  }
  return true;
}

/**
 * Merges a fresh overview into the rows: a row that an event made newer than the snapshot wins, an
 * unchanged row keeps its object (so its memoised table row does not render again), and rows missing
 * from the snapshot go (closed) unless an event after the snapshot brought them.
 */
export function mergeOverview(
  prev: ReadonlyMap<string, ShelterSummary>,
  overview: HqOverview,
): ReadonlyMap<string, ShelterSummary> {
  const next = new Map<string, ShelterSummary>();
  const generated = time(overview.generatedAt);
  for (const s of overview.shelters) {
    const old = prev.get(s.shelterId);
    if (old && (time(old.updatedAt) > time(s.updatedAt) || sameSummary(old, s))) next.set(s.shelterId, old);
    else next.set(s.shelterId, s);
  }
  for (const [id, old] of prev) {
    if (!next.has(id) && old.status !== 'closed' && time(old.updatedAt) > generated) next.set(id, old);
  }
  return next;
}

/** Applies live `shelter` events: newest wins; a closed shelter leaves the list (the overview lists only open ones). */
export function applyEvents(
  prev: ReadonlyMap<string, ShelterSummary>,
  events: Iterable<ShelterSummary>,
): ReadonlyMap<string, ShelterSummary> {
  const next = new Map(prev);
  for (const s of events) {
    const old = next.get(s.shelterId);
    if (old && time(old.updatedAt) > time(s.updatedAt)) continue;
    if (s.status === 'closed') next.delete(s.shelterId);
    else next.set(s.shelterId, s);
  }
  return next;
}

function isSummary(v: unknown): v is ShelterSummary {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as ShelterSummary).shelterId === 'string' &&
    typeof (v as ShelterSummary).present === 'number' &&
    typeof (v as ShelterSummary).status === 'string'
  );
}

/**
 * The HQ dashboard's data: the overview, kept current through the Server-Sent Events stream
 * (`shelter` events merged by shelter id, `elsewhere` → fetch the overview again). After a
 * reconnect, or a `resync` event (the server's feed from the database was interrupted), the overview
 * is fetched again, since events may have been missed meanwhile.
 */
export function useHqLive(code: string): HqLive {
  // The overview prefetched at start-up, if it is already here: the first render shows the table.
  const [initial] = useState(() => {
    const o = takeArrivedOverview(code);
    return o?.municipalityCode === code ? o : undefined;
  });
  const fromStart = useRef(initial);
  const [overview, setOverview] = useState<HqOverview | undefined>(initial);
  const [shelters, setShelters] = useState<ReadonlyMap<string, ShelterSummary>>(() =>
    initial ? mergeOverview(new Map(), initial) : new Map(),
  );
  const [live, setLive] = useState<LiveState>('connecting');
  const [loading, setLoading] = useState(!initial);
  const [error, setError] = useState<unknown>();

  // Another municipality: start from nothing rather than show the previous one's shelters. Reset while
  // rendering (the state is about `stateCode`), so that no render shows the old rows under the new code.
  const [stateCode, setStateCode] = useState(code);
  if (stateCode !== code) {
    setStateCode(code);
    setOverview(undefined);
    setShelters(new Map());
    setLive('connecting');
    setLoading(true);
    setError(undefined);
  }

  // Every fetch in flight for the current municipality (aborted when it changes), and the snapshot time
  // of the newest overview applied: an older answer arriving late is dropped, a newer one always applied
  // (a reconnect's fetch does not discard the first one still on its way).
  const inFlight = useRef(new Set<AbortController>());
  const appliedAt = useRef(initial ? time(initial.generatedAt) : 0);

  // `first`: the page's first load may take the overview prefetched at start-up (prefetch.ts).
  const load = useCallback((first: boolean) => {
    const controller = new AbortController();
    inFlight.current.add(controller);
    const overview = first
      ? takePrefetchedOverview(code).then((o) => o ?? hqApi.overview(code, controller.signal))
      : hqApi.overview(code, controller.signal);
    overview.then(
      (o) => {
        inFlight.current.delete(controller);
        if (controller.signal.aborted) return;
        const at = time(o.generatedAt);
        if (at < appliedAt.current) return;
        appliedAt.current = at;
        setOverview(o);
        setShelters((prev) => mergeOverview(prev, o));
        setError(undefined);
        setLoading(false);
      },
      (e: unknown) => {
        inFlight.current.delete(controller);
        if (controller.signal.aborted) return;
        setError(e);
        setLoading(false);
      },
    );
  }, [code]);
  const reload = useCallback(() => load(false), [load]);

  useEffect(() => {
    const start = fromStart.current;
    fromStart.current = undefined;
    if (!start || start.municipalityCode !== code) {
      // Another municipality (its state was reset while rendering), or a first render without the
      // prefetched overview: fetch it.
      appliedAt.current = 0;
      load(true);
    }
    const controllers = inFlight.current;

    let disposed = false;
    let source: EventSource | null = null;
    let retryTimer: number | undefined;
    let flushTimer: number | undefined;
    let elsewhereTimer: number | undefined;
    const pending = new Map<string, ShelterSummary>();

    const flush = () => {
      flushTimer = undefined;
      if (disposed || pending.size === 0) return;
      const batch = [...pending.values()];
      pending.clear();
      setShelters((prev) => applyEvents(prev, batch));
    };

    const connect = () => {
      if (disposed) return;
      const es = new EventSource(hqApi.eventsUrl(code));
      source = es;
      es.addEventListener('open', () => {
        setLive('live');
        // Whatever happened while the stream was down (or before it opened) is in a fresh overview.
        reload();
      });
      es.addEventListener('shelter', (ev) => {
        let data: unknown;
        try {
          data = JSON.parse((ev as MessageEvent<string>).data);
        } catch {
          return;
        }
        if (!isSummary(data)) return;
        const queued = pending.get(data.shelterId);
        if (!queued || time(queued.updatedAt) <= time(data.updatedAt)) pending.set(data.shelterId, data);
        flushTimer ??= window.setTimeout(flush, FLUSH_MS);
      });
      es.addEventListener('elsewhere', () => {
        elsewhereTimer ??= window.setTimeout(() => {
          elsewhereTimer = undefined;
          if (!disposed) reload();
        }, ELSEWHERE_DEBOUNCE_MS);
      });
      // The server's own change feed was interrupted (database restart): events may be missing.
      es.addEventListener('resync', () => {
        if (!disposed) reload();
      });
      es.addEventListener('error', () => {
        if (disposed) return;
        setLive('reconnecting');
        if (es.readyState === EventSource.CLOSED) {
          // The browser stops retrying after an HTTP error (401, 403, 5xx): fetch the overview, which
          // reports the problem (a 401 sends the user to the login page), and try the stream again later.
          es.close();
          reload();
          retryTimer = window.setTimeout(connect, RETRY_MS);
        }
        // Otherwise the browser reconnects by itself (retry: 3000 from the server).
      });
    };
    connect();

    return () => {
      disposed = true;
      source?.close();
      window.clearTimeout(retryTimer);
      window.clearTimeout(flushTimer);
      window.clearTimeout(elsewhereTimer);
      for (const c of controllers) c.abort();
      controllers.clear();
    };
  }, [code, load, reload]);

  return { overview, shelters, live, loading, error, reload };
}

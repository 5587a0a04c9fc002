import { useCallback, useEffect, useState } from 'react';

export interface ApiState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  /** Replace the loaded data locally (after a successful write). */
  setData: (update: (prev: T | undefined) => T | undefined) => void;
}

/**
 * Loads data from the API when the component mounts and whenever `deps` change.
 * Pass `null` as the loader to skip loading (e.g. until a municipality is chosen).
 */
export function useApi<T>(
  loader: ((signal: AbortSignal) => Promise<T>) | null,
  deps: readonly unknown[],
): ApiState<T> {
  const [data, setDataState] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState<boolean>(loader !== null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (!loader) {
      setDataState(undefined);
      setLoading(false);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    setError(undefined);
    loader(controller.signal)
      .then((d) => {
        if (!controller.signal.aborted) setDataState(d);
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError(e);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [...deps, tick]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  const setData = useCallback((update: (prev: T | undefined) => T | undefined) => setDataState(update), []);
  return { data, error, loading, reload, setData };
}

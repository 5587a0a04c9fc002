import { useCallback } from 'react';
import { keepPreviousData, skipToken, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';

export interface ApiState<T> {
  data: T | undefined;
  /** What the last finished load threw; cleared while the next one runs. */
  error: unknown;
  /** True while a load runs (the first one, a reload, or one for new parameters). */
  loading: boolean;
  reload: () => void;
  /** Replace the loaded data locally (after a successful write). */
  setData: (update: (prev: T | undefined) => T | undefined) => void;
}

/**
 * Loads data from the API with TanStack Query (`useQuery`): when the component mounts and whenever
 * `queryKey` changes (the data of the previous key stays shown until the new one arrives). The key
 * names the data, everything the loader depends on included (`['staff', code]`); components showing
 * the same key share one request and one copy, and `queryClient.invalidateQueries` refetches it.
 * Pass `null` as the loader to skip loading (e.g. until a municipality is chosen).
 *
 * @example
 * ```tsx
 * const list = useApi(['staff', code], (signal) => api.staff(code, signal));
 * ```
 */
export function useApi<T>(queryKey: QueryKey, loader: ((signal: AbortSignal) => Promise<T>) | null): ApiState<T> {
  const queryClient = useQueryClient();
  const enabled = loader !== null;
  const query = useQuery({
    queryKey,
    queryFn: loader ? ({ signal }) => loader(signal) : skipToken,
    // Only a query that loads keeps the previous key's data; a skipped one has none, as before.
    placeholderData: enabled ? keepPreviousData : undefined,
  });

  const { refetch, isFetching } = query;
  const reload = useCallback(() => {
    if (enabled) void refetch();
  }, [enabled, refetch]);
  const setData = (update: (prev: T | undefined) => T | undefined) => queryClient.setQueryData<T>(queryKey, update);

  return {
    data: enabled ? query.data : undefined,
    error: isFetching ? undefined : (query.error ?? undefined),
    loading: isFetching,
    reload,
    setData,
  };
}

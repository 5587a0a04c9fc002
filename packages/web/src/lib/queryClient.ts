import { QueryClient } from '@tanstack/react-query';

/**
 * The app's one TanStack Query client (main.tsx provides it). Set to behave as the hand-written
 * loading did: a page loads its data when it mounts and keeps nothing once no component shows it
 * (gcTime 0: no personal data left in memory after a page, a logout or a change of user), a failed
 * request is shown at once instead of being retried, and nothing refetches behind the user's back on
 * window focus or reconnect (the HQ and public pages poll or stream by themselves). Requests are sent
 * whatever navigator.onLine says (networkMode 'always'): the shelter kiosk reports offline itself.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        gcTime: 0,
        retry: false,
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
        networkMode: 'always',
      },
      mutations: { retry: false, networkMode: 'always' },
    },
  });
}

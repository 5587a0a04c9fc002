// The entry only asks for the HQ page's data (when that is the address) and then loads the app: the
// requests leave as soon as this small chunk runs, not after the whole app has been parsed and run
// (about 0.3 s on a busy machine), and the server works on them while the app loads.
import { prefetchHqOverview } from './features/hq/prefetch';

prefetchHqOverview();

void Promise.all([
  import('react'),
  import('react-dom/client'),
  import('react-router/dom'),
  import('@tanstack/react-query'),
  import('./lib/queryClient'),
  import('./router'),
  import('./i18n'),
  import('./index.css'),
]).then(([{ StrictMode }, { createRoot }, { RouterProvider }, { QueryClientProvider }, { createQueryClient }, { router }]) => {
  const root = document.getElementById('root');
  if (!root) throw new Error('#root element missing from index.html');
  const queryClient = createQueryClient();
  createRoot(root).render(
    <StrictMode>
      {/* Server data (TanStack Query) for every route, the kiosks' included. */}
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </StrictMode>,
  );
});

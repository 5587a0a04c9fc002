import { Outlet } from 'react-router';
import { SkipLink } from '../../components/SkipLink/SkipLink';
import { SiteHeader } from '../../components/SiteHeader/SiteHeader';
import { SiteFooter } from '../../components/SiteFooter/SiteFooter';

export function RootLayout() {
  return (
    <div className="flex min-h-screen flex-col">
      <SkipLink />
      <SiteHeader />
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl flex-1 px-4 py-8 sm:px-6">
        <Outlet />
      </main>
      <SiteFooter />
    </div>
  );
}

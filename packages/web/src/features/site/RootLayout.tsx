import { Outlet } from 'react-router';
import { SkipLink } from '../../components/SkipLink/SkipLink';
import { SiteHeader } from '../../components/SiteHeader/SiteHeader';
import { SiteFooter } from '../../components/SiteFooter/SiteFooter';

export function RootLayout() {
  return (
    <div className="flex min-h-screen flex-col">
      {/* On paper only the page's own content: a printed roster or poster without the site's header and footer. */}
      <div className="print:hidden">
        <SkipLink />
        <SiteHeader />
      </div>
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl flex-1 px-4 py-8 sm:px-6 print:max-w-none print:p-0">
        <Outlet />
      </main>
      <div className="print:hidden">
        <SiteFooter />
      </div>
    </div>
  );
}

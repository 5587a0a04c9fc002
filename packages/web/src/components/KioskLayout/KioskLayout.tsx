import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { SkipLink } from '../SkipLink/SkipLink';
import { LanguageToggle } from '../LanguageToggle/LanguageToggle';

/**
 * The kiosk's own frame: the site header's navigation is left out on purpose. A staff session is
 * open on the kiosk, and a resident at the screen must not find a way into the admin area.
 */
export function KioskLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="flex min-h-screen flex-col">
      <SkipLink />
      <header className="border-b border-solid-gray-420 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
          <span className="inline-flex min-h-11 items-center gap-3 text-solid-gray-900">
            <img src="/favicon.svg" alt="" width={36} height={36} className="size-9" />
            <span className="text-std-24B-150 leading-none">{t('app.name')}</span>
          </span>
          <LanguageToggle />
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl flex-1 px-4 py-8 sm:px-6">
        {children}
      </main>
    </div>
  );
}

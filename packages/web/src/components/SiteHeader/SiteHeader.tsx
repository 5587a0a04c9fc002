import { Link, NavLink } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../session/auth';
import { LanguageToggle } from '../LanguageToggle/LanguageToggle';

const navLinkClass = ({ isActive }: { isActive: boolean }) =>
  `inline-flex min-h-11 items-center px-2 text-std-16N-170 text-blue-1000 underline underline-offset-[3px] hover:decoration-[3px] ${
    isActive ? 'font-bold decoration-[3px]' : ''
  }`;

export function SiteHeader() {
  const { t } = useTranslation();
  // Signed in, the way in is the admin area rather than the login page.
  const staffLink =
    useAuth().status === 'signed-in'
      ? { to: '/admin', label: t('app.admin') }
      : { to: '/staff/login', label: t('app.staffLogin') };

  return (
    <header className="border-b border-solid-gray-420 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
        <Link to="/" className="inline-flex min-h-11 items-center gap-3 text-solid-gray-900 no-underline hover:underline">
          <img src="/favicon.svg" alt="" width={36} height={36} className="size-9" />
          <span className="flex flex-col">
            <span className="text-std-24B-150 leading-none">{t('app.name')}</span>
            <span className="hidden text-dns-14N-130 text-solid-gray-700 sm:block">{t('app.tagline')}</span>
          </span>
        </Link>
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
          <nav aria-label={t('app.primaryNav')}>
            <ul className="flex flex-wrap items-center gap-x-2">
              <li>
                <NavLink to="/" end className={navLinkClass}>
                  {t('app.home')}
                </NavLink>
              </li>
              <li>
                <NavLink to={staffLink.to} className={navLinkClass}>
                  {staffLink.label}
                </NavLink>
              </li>
              <li>
                <a href="/docs" className={navLinkClass({ isActive: false })}>
                  {t('app.apiDocs')}
                </a>
              </li>
            </ul>
          </nav>
          <LanguageToggle />
        </div>
      </div>
    </header>
  );
}

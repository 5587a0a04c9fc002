import { NavLink } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../session/SessionContext';

const linkClass = ({ isActive }: { isActive: boolean }) =>
  `flex min-h-12 items-center rounded-8 px-3 text-std-16N-170 underline-offset-[3px] hover:underline ${
    isActive
      ? 'bg-blue-900 font-bold text-white'
      : 'text-blue-1000 underline hover:bg-blue-50 hover:decoration-[3px]'
  }`;

export function AdminNav() {
  const { t } = useTranslation();
  const { staff } = useSession();
  // The modules' menu entries that this staff member's permissions open, as the server sent them.
  const items = [
    { to: '/admin', label: t('admin.overview'), end: true },
    ...staff.navigation.map((n) => ({ to: n.path, label: t(n.labelKey as never) as string, end: false })),
  ];
  return (
    <nav aria-label={t('app.adminNav')} className="rounded-12 border border-solid-gray-420 p-2">
      <ul className="grid grid-cols-2 gap-1 sm:grid-cols-3 lg:grid-cols-1">
        {items.map((item) => (
          <li key={item.to}>
            <NavLink to={item.to} end={item.end} className={linkClass}>
              {item.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

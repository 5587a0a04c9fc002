import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeading } from '../../../components/PageHeading/PageHeading';

export function OverviewPage() {
  const { t } = useTranslation();
  const items = [
    { to: '/admin/municipalities', title: t('admin.municipalities'), body: t('admin.overviewMunicipalities') },
    { to: '/admin/joint-use', title: t('admin.jointUse'), body: t('admin.overviewJointUse') },
    { to: '/admin/staff', title: t('admin.staff'), body: t('admin.overviewStaff') },
    { to: '/admin/vault', title: t('admin.vault'), body: t('admin.overviewVault') },
    { to: '/admin/audit', title: t('admin.audit'), body: t('admin.overviewAudit') },
  ];
  return (
    <>
      <PageHeading>{t('admin.title')}</PageHeading>
      <p className="mt-4">{t('admin.overviewLead')}</p>
      <ul className="mt-6 grid grid-cols-1 gap-4 md:grid-cols-2">
        {items.map((i) => (
          <li key={i.to}>
            <Link
              to={i.to}
              className="block h-full rounded-12 border border-solid-gray-420 p-4 text-solid-gray-900 hover:border-blue-900 hover:bg-blue-50"
            >
              <span className="block text-std-20B-150 text-blue-1000 underline underline-offset-[3px]">{i.title}</span>
              <span className="mt-1 block">{i.body}</span>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}

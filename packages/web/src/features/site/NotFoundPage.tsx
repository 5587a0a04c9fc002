import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeading } from '../../components/PageHeading/PageHeading';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeading>{t('errors.notFoundTitle')}</PageHeading>
      <p className="mt-4">{t('errors.notFoundBody')}</p>
      <p className="mt-6">
        <Link to="/" className="text-blue-1000 underline underline-offset-[3px] hover:decoration-[3px]">
          {t('errors.backHome')}
        </Link>
      </p>
    </>
  );
}

import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/api';
import { useApi } from '../../hooks/useApi';
import { PageHeading } from '../../components/PageHeading/PageHeading';
import { Section } from '../../components/Section/Section';
import { Loading } from '../../components/Loading/Loading';
import { ProblemAlert } from '../../components/ProblemAlert/ProblemAlert';
import { Button } from '../../components/Button/Button';
import { MunicipalityCard } from './MunicipalityCard';

const ctaPrimary =
  'inline-flex min-h-14 items-center justify-center rounded-8 border-2 border-blue-900 bg-blue-900 px-6 text-oln-16B-100 text-white hover:bg-blue-1000 hover:underline';
const ctaSecondary =
  'inline-flex min-h-14 items-center justify-center rounded-8 border-2 border-blue-900 bg-white px-6 text-oln-16B-100 text-blue-900 hover:bg-blue-50 hover:underline';

export function LandingPage() {
  const { t } = useTranslation();
  const municipalities = useApi(['public-municipalities'], (signal) => api.publicMunicipalities(signal));

  return (
    <>
      <div className="rounded-16 bg-blue-50 px-4 py-8 sm:px-8">
        <PageHeading>{t('landing.title')}</PageHeading>
        <p className="mt-4 max-w-3xl text-std-18N-160">{t('landing.lead')}</p>
        <ul className="mt-4 ml-6 max-w-3xl list-disc space-y-1">
          <li>{t('landing.points1')}</li>
          <li>{t('landing.points2')}</li>
          <li>{t('landing.points3')}</li>
        </ul>
        <div className="mt-6 flex flex-col gap-3 sm:flex-row">
          <Link to="/staff/login" className={ctaPrimary}>
            {t('app.staffLogin')}
          </Link>
          <a href="/docs" className={ctaSecondary}>
            {t('app.apiDocs')}
          </a>
        </div>
      </div>

      <Section title={t('landing.municipalitiesTitle')}>
        {municipalities.loading && <Loading />}
        {municipalities.error !== undefined && (
          <div className="flex flex-col items-start gap-3">
            <ProblemAlert error={municipalities.error} />
            <Button variant="secondary" onClick={municipalities.reload}>
              {t('app.retry')}
            </Button>
          </div>
        )}
        {municipalities.data &&
          (municipalities.data.length === 0 ? (
            <p>{t('landing.municipalitiesEmpty')}</p>
          ) : (
            <ul className="grid grid-cols-1 gap-4 md:grid-cols-2 lg:grid-cols-3">
              {municipalities.data.map((m) => (
                <li key={m.code}>
                  <MunicipalityCard municipality={m} />
                </li>
              ))}
            </ul>
          ))}
      </Section>

      <div className="mt-8 grid grid-cols-1 gap-4 md:grid-cols-2">
        <Section title={t('resident.landing.forResidents')} className="mt-0! rounded-12 border border-solid-gray-420 p-4">
          <p>{t('resident.landing.forResidentsBody')}</p>
          <p className="mt-3">
            <Link to="/my/login" className="text-blue-1000 underline underline-offset-[3px] hover:decoration-[3px]">
              {t('resident.myLogin.title')}
            </Link>
          </p>
        </Section>
        <Section title={t('landing.forStaff')} className="mt-0! rounded-12 border border-solid-gray-420 p-4">
          <p>{t('landing.forStaffBody')}</p>
          <p className="mt-3">
            <Link to="/staff/login" className="text-blue-1000 underline underline-offset-[3px] hover:decoration-[3px]">
              {t('app.staffLogin')}
            </Link>
          </p>
        </Section>
        <Section title={t('landing.forDevelopers')} className="mt-0! rounded-12 border border-solid-gray-420 p-4">
          <p>{t('landing.forDevelopersBody')}</p>
          <p className="mt-3">
            <a href="/docs" className="text-blue-1000 underline underline-offset-[3px] hover:decoration-[3px]">
              {t('app.apiDocs')}
            </a>
          </p>
        </Section>
      </div>
    </>
  );
}

import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { Button } from '../../components/Button/Button';
import { Loading } from '../../components/Loading/Loading';
import { PageHeading } from '../../components/PageHeading/PageHeading';
import { ProblemAlert } from '../../components/ProblemAlert/ProblemAlert';
import { QrCode } from '../../components/QrCode/QrCode';
import { useApi } from '../../hooks/useApi';
import { useSession } from '../../session/SessionContext';
import { shelterApi } from './shelterApi';

/** Where the poster's QR leads: the resident's report of a stay outside shelters (login first, then back there). */
export function outsideReportUrl(origin: string): string {
  return `${origin}/my/shelter#outside`;
}

/**
 * /shelter/outside-poster?shelter=…: an A4 poster for the shelter's door and notice board. People
 * staying in cars, tents or at home nearby scan it with their phone, log in with their card and
 * report where they are, so that HQ counts them and supplies and information reach them.
 */
export function OutsidePosterPage() {
  const { t } = useTranslation();
  const { staff } = useSession();
  const [params] = useSearchParams();
  const shelters = useApi(['shelter', 'shelters', staff.municipalityCode], (s) => shelterApi.shelters(staff.municipalityCode, s));
  const shelter = shelters.data?.find((s) => s.id === params.get('shelter'));
  const url = outsideReportUrl(window.location.origin);

  return (
    <>
      <div className="print:hidden">
        <PageHeading>{t('shelter.poster.title')}</PageHeading>
        <p className="mt-3 max-w-3xl text-std-16N-170">{t('shelter.poster.intro')}</p>
        <div className="mt-4 flex flex-wrap items-center gap-3">
          <Button onClick={() => window.print()}>{t('shelter.poster.print')}</Button>
          <Link to="/shelter" className="inline-flex min-h-11 items-center text-blue-900 underline">
            {t('shelter.intakeCards.back')}
          </Link>
        </div>
        {shelters.loading && <Loading />}
        <ProblemAlert error={shelters.error} className="mt-3" />
      </div>
      {/* The poster itself: shown as a preview, and the only thing printed. */}
      <article
        aria-labelledby="outside-poster-title"
        data-testid="outside-poster"
        className="mx-auto mt-6 flex max-w-2xl flex-col items-center gap-5 rounded-12 border-2 border-solid-gray-800 p-8 text-center print:mt-0 print:max-w-none print:rounded-none print:border-0 print:p-0"
      >
        <h2 id="outside-poster-title" className="text-std-32B-150 print:text-[28pt]">
          {t('shelter.poster.heading')}
        </h2>
        <p lang="en" className="text-std-20N-150">For people staying outside the shelter (in a car, a tent or at home)</p>
        <p className="text-std-20N-150 print:text-[16pt]">{t('shelter.poster.body')}</p>
        <QrCode value={url} alt={t('shelter.poster.qrAlt')} className="w-64 print:w-[90mm]" />
        <p className="font-mono text-std-16N-170 break-all" data-testid="outside-poster-url">
          {url}
        </p>
        <p lang="en" className="text-std-16N-170">
          Scan with your phone, log in with your My Number Card and tell us where you are staying, so that supplies and
          information reach you.
        </p>
        {shelter && <p className="text-std-18B-160">{t('shelter.poster.at', { shelter: shelter.nameJa })}</p>}
      </article>
    </>
  );
}

import { useEffect, useMemo } from 'react';
import { Link, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { ResidentSessionView } from '../../api/resident';
import { RequireResident } from '../../session/RequireResident';
import { residentSignedOut } from '../../session/residentAuth';
import { PageHeading } from '../../components/PageHeading/PageHeading';
import { LargeTextToggle } from '../../components/LargeTextToggle/LargeTextToggle';
import { myShelterApi } from './myShelterApi';
import { PreRegistrationSection } from './PreRegistrationSection';
import { OutsideStaySection } from './OutsideStaySection';
import { SafetySearchSection } from './SafetySearchSection';

/**
 * /my/shelter: the resident's shelter page (resident session required; otherwise to
 * /my/login?return=/my/shelter). Three separate tasks, each in its own section: pre-registration,
 * reporting a stay outside shelters, and the safety search for family and friends.
 */
export function MyShelterPage() {
  return <RequireResident>{(session) => <MyShelterContent session={session} />}</RequireResident>;
}

const SECTIONS = [
  { id: 'prereg', key: 'myShelter.toc.prereg' },
  { id: 'outside', key: 'myShelter.toc.outside' },
  { id: 'search', key: 'myShelter.toc.search' },
] as const;

function MyShelterContent({ session }: { session: ResidentSessionView }) {
  const { t } = useTranslation();
  const { hash } = useLocation();
  // Arriving at a section (a poster's QR opens #outside): the router does not scroll to it by itself.
  useEffect(() => {
    const id = hash.slice(1);
    if (SECTIONS.some((s) => s.id === id)) requestAnimationFrame(() => document.getElementById(id)?.scrollIntoView());
  }, [hash]);
  const client = useMemo(
    () => myShelterApi({ csrf: session.csrfToken, onUnauthorized: () => residentSignedOut('expired') }),
    [session.csrfToken],
  );

  return (
    <div className="flex flex-col">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <PageHeading>{t('myShelter.title')}</PageHeading>
        <LargeTextToggle />
      </div>
      <p className="mt-3">
        <Link to="/my" className="inline-flex min-h-12 items-center text-std-18N-160 text-blue-1000 underline underline-offset-[3px] hover:decoration-[3px]">
          <span aria-hidden="true" className="mr-1">
            ←
          </span>
          {t('myShelter.backToMy')}
        </Link>
      </p>
      <p className="mt-2 text-std-18N-160">{t('myShelter.lead')}</p>
      <nav aria-label={t('myShelter.tocLabel')} className="mt-3">
        <ul className="flex flex-col gap-2">
          {SECTIONS.map((s) => (
            <li key={s.id}>
              <a
                href={`#${s.id}`}
                className="inline-flex min-h-12 items-center rounded-8 border-2 border-blue-900 px-4 text-std-18B-160 text-blue-1000 underline-offset-[3px] hover:bg-blue-50 hover:underline"
              >
                {t(s.key)}
              </a>
            </li>
          ))}
        </ul>
      </nav>

      <div id="prereg" className="scroll-mt-4">
        <PreRegistrationSection client={client} />
      </div>
      <hr className="mt-10 border-solid-gray-420" />
      <div id="outside" className="scroll-mt-4">
        <OutsideStaySection client={client} />
      </div>
      <hr className="mt-10 border-solid-gray-420" />
      <div id="search" className="scroll-mt-4">
        <SafetySearchSection client={client} />
      </div>
    </div>
  );
}

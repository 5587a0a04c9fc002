import { useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { api, isProblemError } from '../../../api/api';
import { residentApi, type ResidentSessionView } from '../../../api/resident';
import { useApi } from '../../../hooks/useApi';
import { useSubmit } from '../../../hooks/useSubmit';
import { RequireResident } from '../../../session/RequireResident';
import { residentSignedOut } from '../../../session/residentAuth';
import { PageHeading } from '../../../components/PageHeading/PageHeading';
import { Loading } from '../../../components/Loading/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert/ProblemAlert';
import { StatusMessage } from '../../../components/StatusMessage/StatusMessage';
import { Button } from '../../../components/Button/Button';
import { LargeTextToggle } from '../../../components/LargeTextToggle/LargeTextToggle';
import { useLang } from '../../../lib/localized';
import { ProfileSection } from './ProfileSection';
import { ConsentsSection } from './ConsentsSection';
import { QrSection } from './QrSection';
import { ACCESS_LOG_KEY, AccessLogSection } from './AccessLogSection';
import { LostCardSection } from './LostCardSection';

/** /my: the resident's own page (resident session required; otherwise to /my/login?return=…). */
export function MyPage() {
  return <RequireResident>{(session) => <MyPageContent session={session} />}</RequireResident>;
}

function MyPageContent({ session }: { session: ResidentSessionView }) {
  const { t } = useTranslation();
  const lang = useLang();
  const me = useApi(['resident', 'me'], (signal) => residentApi.me(signal));
  const directory = useApi(['public-municipalities'], (signal) => api.publicMunicipalities(signal));
  const [status, setStatus] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const logout = useSubmit();

  const doLogout = () =>
    logout.run(async () => {
      try {
        await residentApi.logout();
      } catch (e) {
        if (!(isProblemError(e) && e.status === 401)) throw e;
      }
      residentSignedOut('logout');
    });

  return (
    <div className="flex flex-col">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <PageHeading>{t('resident.my.title')}</PageHeading>
        <div className="flex flex-wrap gap-3">
          <LargeTextToggle />
          <Button variant="secondary" className="min-h-12" onClick={() => void doLogout()} disabled={logout.busy}>
            {logout.busy ? t('resident.my.loggingOut') : t('resident.my.logout')}
          </Button>
        </div>
      </div>
      <p className="mt-2 text-std-18N-160">
        {t('resident.my.greeting', { municipality: session.municipalityName[lang] || session.municipalityCode, number: session.residentNumber })}
      </p>
      <ProblemAlert error={logout.error} className="mt-3" />
      <StatusMessage message={status} className="sticky top-0 z-10 mt-4 bg-white" />

      {me.loading && <Loading />}
      <ProblemAlert error={me.error} className="mt-4" />
      {me.data && <ProfileSection me={me.data} />}

      <ConsentsSection
        directory={directory.data}
        onChanged={(message) => {
          setStatus(message);
          void queryClient.invalidateQueries({ queryKey: ACCESS_LOG_KEY });
        }}
      />
      <section aria-labelledby="my-shelter-link" className="mt-8 rounded-12 border border-solid-gray-420 p-4">
        <h2 id="my-shelter-link" className="text-std-20B-150">{t('myShelter.fromMyPage')}</h2>
        <p className="mt-2">{t('myShelter.fromMyPageLead')}</p>
        <p className="mt-3">
          <Link to="/my/shelter" className="text-blue-1000 underline underline-offset-[3px] hover:decoration-[3px]">
            {t('myShelter.title')}
          </Link>
        </p>
      </section>
      <QrSection />
      <AccessLogSection />
      <LostCardSection onSuspended={() => residentSignedOut('suspended')} />
    </div>
  );
}

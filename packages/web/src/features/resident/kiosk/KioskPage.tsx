import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isProblemError, setUnauthorizedHandler } from '../../../api/api';
import { useApi } from '../../../hooks/useApi';
import { useSubmit } from '../../../hooks/useSubmit';
import { checkSession, signedOut, useAuth } from '../../../session/auth';
import { AgentSettingsDetails, CardAgentProvider } from '../../../cardAgent';
import { PageHeading } from '../../../components/PageHeading/PageHeading';
import { Loading } from '../../../components/Loading/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert/ProblemAlert';
import { Button } from '../../../components/Button/Button';
import { LargeTextToggle } from '../../../components/LargeTextToggle/LargeTextToggle';
import { useApplyLargeText } from '../../../lib/largeText';
import { localName, useLang } from '../../../lib/localized';
import type { SessionStaff } from '../../../api/types';
import { KioskLayout } from '../../../components/KioskLayout/KioskLayout';
import { KioskRegistration } from './KioskRegistration';
import { KioskStaffLogin } from '../../../components/KioskStaffLogin/KioskStaffLogin';

/**
 * /kiosk: the self-service registration terminal, in its own frame without the site navigation
 * (see KioskLayout). A staff member logs the kiosk in (staff session); residents then register
 * with their card. The card agent's port and token come from
 * ?agentPort=&agentToken= once (then localStorage) or from the settings form.
 */
export function KioskPage() {
  const { t } = useTranslation();
  const auth = useAuth();
  useApplyLargeText();

  useEffect(() => {
    setUnauthorizedHandler(signedOut);
    return () => setUnauthorizedHandler(null);
  }, []);

  return (
    <KioskLayout>
      <CardAgentProvider>
        <div className="flex flex-wrap items-start justify-between gap-4">
          <PageHeading>{t('resident.kiosk.title')}</PageHeading>
          <LargeTextToggle />
        </div>
        <p className="mt-2 text-std-18N-160">{t('resident.kiosk.lead')}</p>
        {(auth.status === 'unknown' || auth.status === 'checking') && <Loading />}
        {auth.status === 'error' && (
          <div className="mt-4 flex flex-col items-start gap-3">
            <ProblemAlert error={auth.error} />
            <Button variant="secondary" onClick={() => checkSession()}>
              {t('app.retry')}
            </Button>
          </div>
        )}
        {auth.status === 'signed-out' && <KioskStaffLogin />}
        {auth.status === 'signed-in' && <KioskSignedIn staff={auth.staff} />}
      </CardAgentProvider>
    </KioskLayout>
  );
}

/** A kiosk left alone this long starts over, so that nothing of a resident who walked away stays on screen. */
const IDLE_RESET_MS = 3 * 60_000;

/** Remounts the registration (`reset`) after IDLE_RESET_MS without a key press, tap or click. */
function useIdleReset(reset: () => void) {
  useEffect(() => {
    let timer = setTimeout(reset, IDLE_RESET_MS);
    const activity = () => {
      clearTimeout(timer);
      timer = setTimeout(reset, IDLE_RESET_MS);
    };
    const events = ['pointerdown', 'keydown', 'input'] as const;
    events.forEach((e) => window.addEventListener(e, activity, { passive: true }));
    return () => {
      clearTimeout(timer);
      events.forEach((e) => window.removeEventListener(e, activity));
    };
  }, [reset]);
}

function KioskSignedIn({ staff }: { staff: SessionStaff }) {
  const { t } = useTranslation();
  const lang = useLang();
  const directory = useApi(['public-municipalities'], (signal) => api.publicMunicipalities(signal));
  const [round, setRound] = useState(0);
  const startOver = useCallback(() => {
    setRound((n) => n + 1);
    window.scrollTo(0, 0);
  }, []);
  useIdleReset(startOver);
  const logout = useSubmit();
  const municipality = directory.data?.find((m) => m.code === staff.municipalityCode);

  const staffLogout = () =>
    logout.run(async () => {
      try {
        await api.logout();
      } catch (e) {
        if (!(isProblemError(e) && e.status === 401)) throw e;
      }
      signedOut();
    });

  return (
    <>
      <div className="mt-4 flex flex-wrap items-center justify-between gap-3 rounded-8 bg-solid-gray-50 px-4 py-2 text-std-16N-170">
        <p>
          {t('resident.kiosk.staffBar', {
            name: staff.displayName,
            municipality: municipality ? localName(municipality, lang) : staff.municipalityCode,
          })}
        </p>
        <Button variant="secondary" onClick={staffLogout} disabled={logout.busy}>
          {t('resident.kiosk.staffLogout')}
        </Button>
      </div>
      <ProblemAlert error={logout.error} className="mt-3" />
      <AgentSettingsDetails className="mt-3" summary={t('resident.kiosk.settings')} />

      {directory.loading && <Loading />}
      <ProblemAlert error={directory.error} className="mt-4" />
      {municipality && directory.data && (
        <KioskRegistration
          key={round}
          municipality={municipality}
          directory={directory.data}
          onFinish={startOver}
        />
      )}
    </>
  );
}

import { useEffect, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { setResidentUnauthorizedHandler, type ResidentSessionView } from '../api/resident';
import { Button } from '../components/Button/Button';
import { Loading } from '../components/Loading/Loading';
import { ProblemAlert } from '../components/ProblemAlert/ProblemAlert';
import { useApplyLargeText } from '../lib/largeText';
import { checkResidentSession, residentSignedOut, useResidentAuth } from './residentAuth';

/**
 * The guard of a resident's own pages (/my, /my/shelter …): renders `children` with the live resident
 * session, or sends the resident to /my/login — back here afterwards (with the hash: a shelter poster's
 * QR opens #outside), unless they logged out or suspended their card. A 401 from any call on the page
 * ends the session here too.
 */
export function RequireResident({ children }: { children: (session: ResidentSessionView) => ReactNode }) {
  const { t } = useTranslation();
  const auth = useResidentAuth();
  const location = useLocation();
  useApplyLargeText();

  useEffect(() => {
    setResidentUnauthorizedHandler(() => residentSignedOut('expired'));
    return () => setResidentUnauthorizedHandler(null);
  }, []);

  if (auth.status === 'signed-out') {
    if (auth.reason === 'logout' || auth.reason === 'suspended') return <Navigate to="/my/login" replace />;
    return <Navigate to={`/my/login?return=${encodeURIComponent(location.pathname + location.search + location.hash)}`} replace />;
  }
  if (auth.status === 'unknown' || auth.status === 'checking') return <Loading />;
  if (auth.status === 'error') {
    return (
      <div className="flex flex-col items-start gap-3">
        <ProblemAlert error={auth.error} />
        <Button variant="secondary" onClick={() => checkResidentSession()}>
          {t('app.retry')}
        </Button>
      </div>
    );
  }
  return <>{children(auth.session)}</>;
}

import { useCallback, useEffect, useMemo } from 'react';
import { Navigate, Outlet } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, setUnauthorizedHandler } from '../../../api/api';
import { useApi } from '../../../hooks/useApi';
import { checkSession, signedOut, useAuth } from '../../../session/auth';
import { isPlatformWide, SessionContext, type SessionValue } from '../../../session/SessionContext';
import { Loading } from '../../../components/Loading/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert/ProblemAlert';
import { Button } from '../../../components/Button/Button';
import { AdminNav } from './AdminNav';
import { StaffSummary } from './StaffSummary';

export function AdminLayout() {
  const { t } = useTranslation();
  const auth = useAuth();

  useEffect(() => {
    // Any 401 from here on means the session ended: AdminLayout then sends the user to the login page.
    setUnauthorizedHandler(signedOut);
    return () => setUnauthorizedHandler(null);
  }, []);

  const staff = auth.status === 'signed-in' ? auth.staff : null;
  const signedIn = staff !== null;
  const municipalities = useApi(['municipalities'], signedIn ? (signal) => api.municipalities(signal) : null);

  const canAdminister = useCallback(
    (code: string) =>
      !!staff && (isPlatformWide(staff.permissions) || (staff.permissions.includes('staff:manage') && staff.municipalityCode === code)),
    [staff],
  );

  const value = useMemo<SessionValue | null>(
    () =>
      staff
        ? {
            staff,
            isPlatformAdmin: isPlatformWide(staff.permissions),
            isMunicipalAdmin: !isPlatformWide(staff.permissions) && staff.permissions.includes('staff:manage'),
            municipalities: municipalities.data,
            reloadMunicipalities: municipalities.reload,
            canAdminister,
          }
        : null,
    [staff, municipalities.data, municipalities.reload, canAdminister],
  );

  if (auth.status === 'signed-out') return <Navigate to="/staff/login" replace />;
  if (auth.status === 'unknown' || auth.status === 'checking') return <Loading />;
  if (auth.status === 'error' || !value) {
    return (
      <div className="flex flex-col items-start gap-3">
        <ProblemAlert error={auth.status === 'error' ? auth.error : undefined} />
        <Button variant="secondary" onClick={() => checkSession()}>
          {t('app.retry')}
        </Button>
      </div>
    );
  }

  return (
    <SessionContext.Provider value={value}>
      <div className="flex flex-col gap-6 lg:flex-row lg:items-start">
        <aside className="flex flex-col gap-4 lg:sticky lg:top-4 lg:w-64 lg:shrink-0 print:hidden">
          <StaffSummary />
          <AdminNav />
        </aside>
        <div className="min-w-0 flex-1">
          <Outlet />
        </div>
      </div>
    </SessionContext.Provider>
  );
}

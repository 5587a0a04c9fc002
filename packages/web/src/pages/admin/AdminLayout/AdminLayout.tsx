import { useCallback, useEffect, useMemo, useState } from 'react';
import { Navigate, Outlet, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, isProblemError, setUnauthorizedHandler } from '../../../api/api';
import type { SessionStaff } from '../../../api/types';
import { useApi } from '../../../hooks/useApi';
import { SessionContext, type SessionValue } from '../../../session/SessionContext';
import { Loading } from '../../../components/Loading/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert/ProblemAlert';
import { Button } from '../../../components/Button/Button';
import { AdminNav } from './AdminNav';
import { StaffSummary } from './StaffSummary';

type SessionState =
  | { status: 'loading' }
  | { status: 'ok'; staff: SessionStaff }
  | { status: 'unauthenticated' }
  | { status: 'error'; error: unknown };

export function AdminLayout() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
    api
      .session(controller.signal)
      .then((s) => setState({ status: 'ok', staff: s.staff }))
      .catch((e: unknown) => {
        if (controller.signal.aborted) return;
        if (isProblemError(e) && e.status === 401) setState({ status: 'unauthenticated' });
        else setState({ status: 'error', error: e });
      });
    return () => controller.abort();
  }, [attempt]);

  useEffect(() => {
    setUnauthorizedHandler(() => navigate('/staff/login', { replace: true }));
    return () => setUnauthorizedHandler(null);
  }, [navigate]);

  const signedIn = state.status === 'ok';
  const municipalities = useApi(signedIn ? (signal) => api.municipalities(signal) : null, [signedIn]);

  const staff = state.status === 'ok' ? state.staff : null;
  const canAdminister = useCallback(
    (code: string) =>
      !!staff &&
      (staff.roles.includes('platform_admin') ||
        (staff.roles.includes('municipal_admin') && staff.municipalityCode === code)),
    [staff],
  );

  const value = useMemo<SessionValue | null>(
    () =>
      staff
        ? {
            staff,
            isPlatformAdmin: staff.roles.includes('platform_admin'),
            isMunicipalAdmin: staff.roles.includes('municipal_admin'),
            municipalities: municipalities.data,
            reloadMunicipalities: municipalities.reload,
            canAdminister,
          }
        : null,
    [staff, municipalities.data, municipalities.reload, canAdminister],
  );

  if (state.status === 'unauthenticated') return <Navigate to="/staff/login" replace />;
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error' || !value) {
    return (
      <div className="flex flex-col items-start gap-3">
        <ProblemAlert error={state.status === 'error' ? state.error : undefined} />
        <Button variant="secondary" onClick={() => setAttempt((n) => n + 1)}>
          {t('app.retry')}
        </Button>
      </div>
    );
  }

  return (
    <SessionContext.Provider value={value}>
      <div className="flex flex-col gap-6 lg:flex-row lg:items-start">
        <aside className="flex flex-col gap-4 lg:sticky lg:top-4 lg:w-64 lg:shrink-0">
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

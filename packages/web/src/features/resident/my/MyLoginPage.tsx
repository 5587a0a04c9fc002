import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/api';
import { useApi } from '../../../hooks/useApi';
import { AgentSettingsDetails, CardAgentProvider, CardTouch } from '../../../cardAgent';
import { PageHeading } from '../../../components/PageHeading/PageHeading';
import { SelectField } from '../../../components/Field/Field';
import { Loading } from '../../../components/Loading/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert/ProblemAlert';
import { LargeTextToggle } from '../../../components/LargeTextToggle/LargeTextToggle';
import { MunicipalityOptions } from '../../../components/MunicipalityOptions/MunicipalityOptions';
import { useApplyLargeText } from '../../../lib/largeText';
import { safeReturnPath } from '../../../lib/safeReturn';
import { residentCardLogin, residentSignedIn, useResidentAuth } from '../../../session/residentAuth';

/**
 * /my/login: the resident logs in to My page with their card and PIN on their own device (or a
 * kiosk): choose the municipality, place the card, enter the PIN. `?return=` (a path on this
 * site only) says where to go afterwards; default /my.
 */
export function MyLoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const auth = useResidentAuth();
  useApplyLargeText();
  const directory = useApi(['public-municipalities'], (signal) => api.publicMunicipalities(signal));
  const [code, setCode] = useState('');
  const returnTo = safeReturnPath(params.get('return'), '/my');
  const reason = auth.status === 'signed-out' ? auth.reason : undefined;
  const notice =
    reason === 'expired' ? t('resident.my.sessionEnded') : reason === 'suspended' ? t('resident.my.lostDone') : reason === 'logout' ? t('resident.my.loggedOut') : null;

  // Already logged in (another tab, or back to this page): straight on.
  if (auth.status === 'signed-in') return <Navigate to={returnTo} replace />;

  return (
    <CardAgentProvider>
      <div className="mx-auto flex max-w-2xl flex-col gap-6">
        <div className="flex flex-wrap items-start justify-between gap-4">
          <PageHeading>{t('resident.myLogin.title')}</PageHeading>
          <LargeTextToggle />
        </div>
        <p className="text-std-18N-160">{t('resident.myLogin.lead')}</p>
        {notice && (
          <p role="status" className="rounded-8 border-2 border-warning-yellow-2 bg-yellow-50 px-4 py-3 text-std-18B-160">
            {notice}
          </p>
        )}
        {directory.loading && <Loading />}
        <ProblemAlert error={directory.error} />
        {directory.data && (
          <SelectField
            id="my-login-municipality"
            label={t('resident.myLogin.municipality')}
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
            className="text-std-18N-160"
            wrapperClassName="max-w-md"
          >
            <option value="">{t('resident.myLogin.choose')}</option>
            <MunicipalityOptions municipalities={directory.data} />
          </SelectField>
        )}
        {code ? (
          <CardTouch
            key={code}
            {...residentCardLogin(code, (session) => {
              residentSignedIn(session);
              navigate(returnTo, { replace: true });
            })}
            submitLabel={t('resident.myLogin.submit')}
          />
        ) : (
          directory.data && <p className="text-std-18N-160">{t('resident.myLogin.chooseFirst')}</p>
        )}
        <AgentSettingsDetails summary={t('resident.myLogin.settings')} />
      </div>
    </CardAgentProvider>
  );
}

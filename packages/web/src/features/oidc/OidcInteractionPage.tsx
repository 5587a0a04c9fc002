import { useState } from 'react';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/api';
import { residentApi, type ResidentSessionView } from '../../api/resident';
import { AgentSettingsDetails, CardAgentProvider, CardTouch } from '../../cardAgent';
import { useApi } from '../../hooks/useApi';
import { useSubmit } from '../../hooks/useSubmit';
import { PageHeading } from '../../components/PageHeading/PageHeading';
import { Section } from '../../components/Section/Section';
import { Loading } from '../../components/Loading/Loading';
import { ProblemAlert } from '../../components/ProblemAlert/ProblemAlert';
import { Button } from '../../components/Button/Button';
import { CheckboxGroup, SelectField } from '../../components/Field/Field';
import { MunicipalityOptions } from '../../components/MunicipalityOptions/MunicipalityOptions';
import { useLang } from '../../lib/localized';
import { residentCardLogin } from '../../session/residentAuth';
import { ACR_CARD_PIN, oidcApi, type Acr, type InteractionDetails } from './oidcApi';

const ITEM_SCOPES = ['profile', 'address', 'birthdate', 'gender'] as const;
type ItemScope = (typeof ITEM_SCOPES)[number];
const isItemScope = (s: string): s is ItemScope => (ITEM_SCOPES as readonly string[]).includes(s);

/** Leaves for the service (or the provider's next step). */
function go(redirectTo: string) {
  window.location.assign(redirectTo);
}

/**
 * /oidc/interaction/:uid — a joint-use service sent the resident here to log in with Kazashi.
 * Login step: a resident session from My page is reused (unless the service needs card + PIN and the
 * session was a touch-only one); otherwise the resident logs in with the card through the card agent.
 * Consent step: the service, the municipality that registered it and the items it asks for, each of
 * which the resident may withhold; or decline altogether.
 */
export function OidcInteractionPage() {
  const { uid = '' } = useParams();
  const { t } = useTranslation();
  // The interaction and the resident's session (none: null), asked for together; "retry" asks again.
  const interaction = useApi(['oidc', 'interaction', uid], async () => {
    const [details, session] = await Promise.all([oidcApi.details(uid), residentApi.session().catch(() => null)]);
    return { details, session };
  });
  const details = interaction.data?.details ?? null;
  const session = interaction.data?.session ?? null;
  const loadError = interaction.error;

  return (
    <div className="mx-auto flex max-w-2xl flex-col gap-6">
      <PageHeading>{t('oidc.interaction.title')}</PageHeading>
      <ProblemAlert error={loadError} />
      {!details && !loadError && <Loading />}
      {details && <ServiceSummary details={details} />}
      {details?.prompt === 'login' && <LoginStep uid={uid} details={details} session={session} onRetry={interaction.reload} />}
      {details?.prompt === 'consent' && <ConsentStep uid={uid} details={details} />}
    </div>
  );
}

function ServiceSummary({ details }: { details: InteractionDetails }) {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 rounded-12 border border-solid-gray-420 p-4">
      <dt className="text-std-16B-170">{t('oidc.interaction.service')}</dt>
      <dd className="text-std-18B-160">{details.client.name[lang]}</dd>
      <dt className="text-std-16B-170">{t('oidc.interaction.municipality')}</dt>
      <dd>{details.client.municipalityName[lang]}</dd>
    </dl>
  );
}

const acrLabelKey = (acr: Acr | string | null) => (acr === ACR_CARD_PIN ? 'oidc.acr.cardPin' : 'oidc.acr.cardTouch') as 'oidc.acr.cardPin' | 'oidc.acr.cardTouch';

function LoginStep({ uid, details, session, onRetry }: { uid: string; details: InteractionDetails; session: ResidentSessionView | null; onRetry: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const { busy, error, run } = useSubmit();
  const stepUp = details.acrRequested === ACR_CARD_PIN;
  const sessionEnough = session !== null && !details.freshLoginRequired && (!stepUp || session.acr === ACR_CARD_PIN);
  const directory = useApi(['public-municipalities'], (signal) => api.publicMunicipalities(signal));
  const [code, setCode] = useState(details.client.municipalityCode);
  const here = `${window.location.pathname}${window.location.search}`;

  const finish = (csrf: string) => run(async () => go((await oidcApi.login(uid, csrf)).redirectTo));

  return (
    <Section title={t('oidc.interaction.cardLogin')}>
      <div className="flex flex-col gap-4">
        <p className="text-std-18N-160">{t('oidc.interaction.loginLead', { service: details.client.name[lang] })}</p>
        {details.freshLoginRequired && !stepUp && (
          <p className="rounded-8 border-2 border-warning-yellow-2 bg-yellow-50 px-4 py-3 text-std-16B-170">{t('oidc.interaction.fresh')}</p>
        )}
        {stepUp && (
          <p className="rounded-8 border-2 border-warning-yellow-2 bg-yellow-50 px-4 py-3 text-std-16B-170">{t('oidc.interaction.stepUp')}</p>
        )}
        <ProblemAlert error={error} />
        {session && (
          <p>
            {t('oidc.interaction.loggedInAs', { municipality: session.municipalityName[lang], acr: t(acrLabelKey(session.acr)) })}
          </p>
        )}
        {sessionEnough ? (
          <Button onClick={() => void finish(session.csrfToken)} disabled={busy} className="self-start">
            {t('oidc.interaction.continue')}
          </Button>
        ) : (
          <CardAgentProvider>
            {directory.data && (
              <SelectField
                id="oidc-login-municipality"
                label={t('oidc.interaction.chooseMunicipality')}
                value={code}
                onChange={(e) => setCode(e.currentTarget.value)}
                wrapperClassName="max-w-md"
              >
                <MunicipalityOptions municipalities={directory.data} />
              </SelectField>
            )}
            <CardTouch
              key={code}
              {...residentCardLogin(code, async (s) => go((await oidcApi.login(uid, s.csrfToken)).redirectTo))}
              submitLabel={t('oidc.interaction.cardSubmit')}
            />
            <AgentSettingsDetails summary={t('resident.myLogin.settings')} />
          </CardAgentProvider>
        )}
        {!sessionEnough && (
          <div className="flex flex-col gap-2 rounded-8 border border-solid-gray-420 p-4">
            <p>{t('oidc.interaction.myLoginFallback')}</p>
            <div className="flex flex-wrap gap-4">
              <a href={`/my/login?return=${encodeURIComponent(here)}`} className="text-blue-1000 underline">
                {t('oidc.interaction.myLoginLink')}
              </a>
              <Button variant="secondary" onClick={() => onRetry()}>
                {t('oidc.interaction.retry')}
              </Button>
            </div>
          </div>
        )}
      </div>
    </Section>
  );
}

function ConsentStep({ uid, details }: { uid: string; details: InteractionDetails }) {
  const { t } = useTranslation();
  const lang = useLang();
  const items = details.scopes.filter(isItemScope);
  const [chosen, setChosen] = useState<string[]>(items);
  const { busy, error, run } = useSubmit();

  return (
    <Section title={t('oidc.interaction.consentItems')}>
      <div className="flex flex-col gap-4">
        <p className="text-std-18N-160">{t('oidc.interaction.consentLead', { service: details.client.name[lang] })}</p>
        <ProblemAlert error={error} />
        <ul className="list-disc pl-6">
          <li>{t('oidc.scopes.openid')}</li>
        </ul>
        {items.length > 0 && (
          <CheckboxGroup
            idPrefix="oidc-consent"
            legend={t('oidc.interaction.consentItems')}
            legendClassName="sr-only"
            options={items.map((s) => ({ value: s, label: t(`oidc.scopes.${s}`) }))}
            value={chosen}
            onChange={setChosen}
            disabled={busy}
            className="[&>div]:flex-col"
          />
        )}
        <p className="text-std-16N-170">{t('oidc.interaction.consentNote')}</p>
        <div className="flex flex-wrap gap-4">
          <Button onClick={() => void run(async () => go((await oidcApi.consent(uid, chosen)).redirectTo))} disabled={busy}>
            {t('oidc.interaction.approve')}
          </Button>
          <Button variant="secondary" onClick={() => void run(async () => go((await oidcApi.abort(uid)).redirectTo))} disabled={busy}>
            {t('oidc.interaction.deny')}
          </Button>
        </div>
      </div>
    </Section>
  );
}

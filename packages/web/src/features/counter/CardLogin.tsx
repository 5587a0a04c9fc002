import { useTranslation } from 'react-i18next';
import { AgentSettingsForm, CardTouch } from '../../cardAgent';
import { Section } from '../../components/Section/Section';
import { Button } from '../../components/Button/Button';
import { counterApi, type ResidentView } from './counterApi';
import type { TouchModeControl } from './touchMode';

export interface CardLoginProps {
  municipalityCode: string;
  touch: TouchModeControl;
  onBeforeLogin: () => void;
  onLoggedIn: (r: ResidentView) => void;
}

/**
 * Staff-assisted card login: the resident puts their card on the counter reader and types their
 * own PIN; the signed challenge (purpose `login`) goes to POST …/card-logins, and the resident found
 * is then shown like a lookup by number.
 */
export function CardLogin({ municipalityCode, touch, onBeforeLogin, onLoggedIn }: CardLoginProps) {
  const { t } = useTranslation();
  const active = touch.mode === 'login';

  return (
    <Section title={t('counter.cardLogin.title')}>
      <div className="flex flex-col gap-4 rounded-12 border border-solid-gray-420 p-4">
        <p>{t('counter.cardLogin.lead')}</p>
        {active ? (
          <>
            <CardTouch
              getChallenge={() => counterApi.challenge(municipalityCode, 'login')}
              onAuthenticated={async (touched) => {
                onBeforeLogin();
                const login = await counterApi.cardLogin(municipalityCode, touched);
                const resident = await counterApi.residentByNumber(municipalityCode, login.residentNumber);
                touch.setMode(null);
                onLoggedIn(resident);
              }}
              submitLabel={t('counter.cardLogin.submit')}
            />
            <Button variant="secondary" className="self-start" onClick={() => touch.setMode(null)}>
              {t('common.cancel')}
            </Button>
          </>
        ) : (
          <Button className="self-start" onClick={() => touch.setMode('login')}>
            {t('counter.cardLogin.start')}
          </Button>
        )}
        <details className="rounded-8 border border-solid-gray-300 p-3">
          <summary className="min-h-11 cursor-pointer py-2 text-std-16B-170 text-blue-1000 underline underline-offset-[3px]">
            {t('counter.cardLogin.settings')}
          </summary>
          <div className="mt-3">
            <AgentSettingsForm />
          </div>
        </details>
      </div>
    </Section>
  );
}

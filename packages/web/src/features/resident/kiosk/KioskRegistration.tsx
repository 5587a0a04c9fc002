import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isProblemError } from '../../../api/api';
import type { PublicMunicipality } from '../../../api/types';
import { kioskApi, type RegistrationResult } from '../../../api/resident';
import { BasicFourList, BasicFourRead, CardTouch, type BasicFour, type CardTouchResult } from '../../../cardAgent';
import { Button, SubmitButton } from '../../../components/Button/Button';
import { ProblemAlert } from '../../../components/ProblemAlert/ProblemAlert';
import { localName, useLang } from '../../../lib/localized';
import { ConsentFields, consentsOf, type ConsentChoice } from './ConsentStep';
import { RegistrationDone } from './RegistrationDone';
import { StepIndicator, type KioskStep } from './StepIndicator';

/** Problems that mean the signed challenge can no longer be used: touch the card again. */
const STALE_TOUCH = new Set(['challenge-expired', 'challenge-replayed', 'challenge-not-found']);
/** Margin before the challenge's expiry at which the kiosk asks for a fresh touch instead of failing. */
const EXPIRY_MARGIN_MS = 5000;

interface Touch extends CardTouchResult {
  expiresAt: string;
}

export interface KioskRegistrationProps {
  municipality: PublicMunicipality;
  directory: PublicMunicipality[];
  /** Called by Finish: the parent remounts this component so nothing of the resident stays. */
  onFinish: () => void;
}

function StepSection({ title, children }: { title: string; children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <section aria-labelledby="kiosk-step-title" className="mt-6 flex flex-col gap-4">
      <h2 id="kiosk-step-title" ref={ref} tabIndex={-1} className="text-std-24B-150 sm:text-std-28B-150">
        {title}
      </h2>
      {children}
    </section>
  );
}

/**
 * The kiosk's first registration: card + PIN → (optional) basic four → terms and consents →
 * POST /api/municipalities/:code/registrations → the new resident ID. All of it lives in this
 * component's state only.
 */
export function KioskRegistration({ municipality, directory, onFinish }: KioskRegistrationProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const code = municipality.code;
  const [step, setStep] = useState<KioskStep>('card');
  const [touch, setTouch] = useState<Touch | null>(null);
  const [read, setRead] = useState<BasicFour | null>(null);
  const [basicFour, setBasicFour] = useState<BasicFour | null>(null);
  const [choice, setChoice] = useState<ConsentChoice>({ termsAccepted: false, services: [], share: false });
  const [showTermsRequired, setShowTermsRequired] = useState(false);
  const [needTouch, setNeedTouch] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [result, setResult] = useState<RegistrationResult | null>(null);
  const expiresRef = useRef<string>('');

  const groupIds = new Set(municipality.groups.map((g) => g.id));
  const partners = directory.filter((m) => m.code !== code && m.groups.some((g) => groupIds.has(g.id)));

  const getChallenge = async () => {
    const c = await kioskApi.challenge(code);
    expiresRef.current = c.expiresAt;
    return c;
  };

  const register = async (withTouch: Touch) => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await kioskApi.register(code, {
        challengeId: withTouch.challengeId,
        certificate: withTouch.certificate,
        signature: withTouch.signature,
        ...(basicFour ? { basicFour } : {}),
        consents: consentsOf(choice, partners),
      });
      setTouch(null);
      setRead(null);
      setResult(r);
      setStep('done');
    } catch (e) {
      if (isProblemError(e) && STALE_TOUCH.has(e.code)) {
        setTouch(null);
        setNeedTouch(true);
      } else {
        setError(e);
      }
    } finally {
      setBusy(false);
    }
  };

  const submitConsents = () => {
    if (!choice.termsAccepted) {
      setShowTermsRequired(true);
      return;
    }
    setShowTermsRequired(false);
    if (!touch || new Date(touch.expiresAt).getTime() - EXPIRY_MARGIN_MS < Date.now()) {
      setTouch(null);
      setNeedTouch(true);
      return;
    }
    void register(touch);
  };

  return (
    <>
      <StepIndicator current={step} />

      {step === 'card' && (
        <StepSection title={t('resident.kiosk.cardTitle')}>
          <p className="text-std-18N-160">{t('resident.kiosk.cardLead')}</p>
          <CardTouch
            getChallenge={getChallenge}
            submitLabel={t('resident.kiosk.cardNext')}
            onAuthenticated={(r) => {
              setTouch({ ...r, expiresAt: expiresRef.current });
              setStep('basicFour');
            }}
          />
        </StepSection>
      )}

      {step === 'basicFour' && (
        <StepSection title={t('resident.kiosk.basicFourTitle')}>
          <p className="text-std-18N-160" role="status">
            {t('resident.kiosk.cardDone')}
          </p>
          <p className="text-std-18N-160">{t('resident.kiosk.basicFourLead')}</p>
          {read ? (
            <div className="flex flex-col gap-4 rounded-12 border-2 border-blue-900 p-4">
              <h3 className="text-std-20B-150">{t('resident.kiosk.basicFourCheck')}</h3>
              <BasicFourList value={read} />
              <div className="flex flex-col gap-3 sm:flex-row">
                <Button
                  className="min-h-14 px-8"
                  onClick={() => {
                    setBasicFour(read);
                    setStep('consents');
                  }}
                >
                  {t('resident.kiosk.basicFourUse')}
                </Button>
                <Button variant="secondary" className="min-h-14 px-8" onClick={() => setRead(null)}>
                  {t('resident.kiosk.basicFourRetry')}
                </Button>
              </div>
            </div>
          ) : (
            <BasicFourRead onRead={setRead} expectCertificate={touch?.certificate} />
          )}
          <Button
            variant="secondary"
            className="min-h-14 self-start px-8"
            onClick={() => {
              setRead(null);
              setBasicFour(null);
              setStep('consents');
            }}
          >
            {t('resident.kiosk.basicFourSkip')}
          </Button>
        </StepSection>
      )}

      {step === 'consents' && (
        <StepSection title={t('resident.kiosk.consentsTitle')}>
          <form
            noValidate
            className="flex flex-col gap-6"
            onSubmit={(e) => {
              e.preventDefault();
              submitConsents();
            }}
          >
            <ConsentFields
              municipality={municipality}
              partners={partners}
              value={choice}
              onChange={setChoice}
              showTermsRequired={showTermsRequired}
              disabled={busy || needTouch}
            />
            <ProblemAlert error={error} />
            {!needTouch && (
              <div className="flex flex-col gap-3 sm:flex-row">
                <SubmitButton busy={busy} busyLabel={t('resident.kiosk.registering')} className="min-h-16 px-12 text-std-20B-150">
                  {t('resident.kiosk.register')}
                </SubmitButton>
                <Button variant="secondary" className="min-h-16 px-8" disabled={busy} onClick={() => setStep('basicFour')}>
                  {t('resident.kiosk.back')}
                </Button>
              </div>
            )}
          </form>
          {needTouch && (
            <div className="flex flex-col gap-4 rounded-12 border-2 border-blue-900 p-4">
              <p role="alert" className="text-std-18B-160">
                {t('resident.kiosk.touchAgain')}
              </p>
              <CardTouch
                getChallenge={getChallenge}
                submitLabel={t('resident.kiosk.register')}
                onAuthenticated={async (r) => {
                  setNeedTouch(false);
                  await register({ ...r, expiresAt: expiresRef.current });
                }}
              />
            </div>
          )}
        </StepSection>
      )}

      {step === 'done' && result && (
        <RegistrationDone result={result} municipalityName={localName(municipality, lang)} onFinish={onFinish} />
      )}
    </>
  );
}

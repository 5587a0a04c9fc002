import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Checkbox } from '../components/Field/Field';
import { SubmitButton } from '../components/Button/Button';
import { ProblemAlert } from '../components/ProblemAlert/ProblemAlert';
import { useLang } from '../lib/localized';
import { isCardAgentError } from './errors';
import { useCardAgent } from './CardAgentProvider';

export type PinKind = 'auth' | 'cardInfo';

export interface PinFormProps {
  kind: PinKind;
  submitLabel: ReactNode;
  /** Sends the PIN; throws a CardAgentError (wrong PIN, …) or an API ProblemError. */
  onSubmit: (pin: string, allowLastTry: boolean) => Promise<void>;
  /** Extra content above the PIN field. */
  children?: ReactNode;
}

/**
 * The 4-digit PIN form shared by <CardTouch> and <BasicFourRead>: numeric, masked, large.
 * After a wrong PIN it says how many tries are left; with one try left it asks for an explicit
 * confirmation before the PIN is sent (then with allowLastTry). A locked PIN ends the form with
 * directions to the municipal office.
 */
export function PinForm({ kind, submitLabel, onSubmit, children }: PinFormProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const { cardGeneration } = useCardAgent();
  const id = useId();
  const [pin, setPin] = useState('');
  const [triesLeft, setTriesLeft] = useState<number | undefined>(undefined);
  const [locked, setLocked] = useState(false);
  const [confirmLast, setConfirmLast] = useState(false);
  const [showFormat, setShowFormat] = useState(false);
  const [showConfirmNeeded, setShowConfirmNeeded] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const inputRef = useRef<HTMLInputElement>(null);

  // Another card (or the same one put back): what we knew about its PIN no longer holds. Reset while
  // rendering, when the generation differs from the one the state was about.
  const [stateGeneration, setStateGeneration] = useState(cardGeneration);
  if (stateGeneration !== cardGeneration) {
    setStateGeneration(cardGeneration);
    setTriesLeft(undefined);
    setLocked(false);
    setConfirmLast(false);
    setError(undefined);
  }

  const lastTry = triesLeft === 1;

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    if (!/^\d{4}$/.test(pin)) {
      setShowFormat(true);
      inputRef.current?.focus();
      return;
    }
    setShowFormat(false);
    if (lastTry && !confirmLast) {
      setShowConfirmNeeded(true);
      return;
    }
    setShowConfirmNeeded(false);
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit(pin, lastTry && confirmLast);
      setPin('');
    } catch (err) {
      setPin('');
      setConfirmLast(false);
      if (isCardAgentError(err)) {
        if (err.code === 'wrong-pin' || err.code === 'last-try-refused') {
          setTriesLeft(err.triesLeft);
          setError(err.code === 'wrong-pin' ? err : undefined);
        } else if (err.code === 'pin-locked') {
          setLocked(true);
          setError(undefined);
        } else {
          setError(err);
        }
      } else {
        setError(err);
      }
      // Give the field back for the next try (after React re-enabled it).
      setTimeout(() => inputRef.current?.focus(), 0);
    } finally {
      setBusy(false);
    }
  };

  if (locked) {
    return (
      <div role="alert" className="rounded-8 border-2 border-error-1 bg-red-50 px-4 py-4 text-std-18B-160">
        {t('resident.cardAgent.pinLocked')}
      </div>
    );
  }

  const label = kind === 'auth' ? t('resident.cardAgent.authPinLabel') : t('resident.cardAgent.cardInfoPinLabel');
  const hint = kind === 'auth' ? t('resident.cardAgent.authPinHint') : t('resident.cardAgent.cardInfoPinHint');
  const inputId = `${id}-pin`;
  const hintId = `${id}-hint`;
  const formatId = `${id}-format`;

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
      {children}
      {isCardAgentError(error) ? (
        <div role="alert" className="rounded-8 border-2 border-error-1 bg-red-50 px-4 py-3 text-std-18B-160">
          {error.code === 'wrong-pin' && error.triesLeft !== undefined
            ? t('resident.cardAgent.wrongPin', { count: error.triesLeft })
            : error.code === 'card-removed'
              ? t('resident.cardAgent.putBack')
              : error.messages[lang]}
        </div>
      ) : (
        <ProblemAlert error={error} />
      )}
      <div className="flex flex-col gap-2">
        <label htmlFor={inputId} className="text-std-20B-150">
          {label}
        </label>
        <p id={hintId} className="text-std-16N-170 text-solid-gray-700">
          {hint}
        </p>
        <input
          ref={inputRef}
          id={inputId}
          name="pin"
          type="password"
          inputMode="numeric"
          pattern="[0-9]{4}"
          maxLength={4}
          autoComplete="off"
          required
          disabled={busy}
          aria-invalid={showFormat || undefined}
          aria-describedby={showFormat ? `${hintId} ${formatId}` : hintId}
          value={pin}
          onChange={(e) => setPin(e.currentTarget.value.replace(/[^0-9]/g, '').slice(0, 4))}
          className="block min-h-16 w-48 rounded-8 border border-solid-gray-600 bg-white px-4 py-2 text-center font-mono text-[2rem] tracking-[0.5em] text-solid-gray-900 hover:border-black aria-invalid:border-2 aria-invalid:border-error-1"
        />
        {showFormat && (
          <p id={formatId} className="text-std-16B-170 text-error-2">
            {t('resident.cardAgent.pinFormat')}
          </p>
        )}
      </div>
      {lastTry && (
        <div className="rounded-8 border-2 border-warning-yellow-2 bg-yellow-50 px-4 py-3">
          <p className="text-std-18B-160">{t('resident.cardAgent.lastTryWarning')}</p>
          <Checkbox
            className="mt-2"
            label={t('resident.cardAgent.lastTryConfirm')}
            checked={confirmLast}
            onChange={(e) => {
              setConfirmLast(e.currentTarget.checked);
              setShowConfirmNeeded(false);
            }}
          />
          {showConfirmNeeded && (
            <p role="alert" className="text-std-16B-170 text-error-2">
              {t('resident.cardAgent.lastTryRequired')}
            </p>
          )}
        </div>
      )}
      <div role="status" aria-live="polite">
        {busy && <p className="text-std-18B-160">{t('resident.cardAgent.reading')}</p>}
      </div>
      <SubmitButton busy={busy} busyLabel={t('resident.cardAgent.reading')} className="min-h-16 w-full text-std-20B-150 sm:w-auto sm:self-start sm:px-12">
        {submitLabel}
      </SubmitButton>
    </form>
  );
}

import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSubmit } from '../../hooks/useSubmit';
import { Section } from '../../components/Section/Section';
import { ProblemAlert } from '../../components/ProblemAlert/ProblemAlert';
import { Button, SubmitButton } from '../../components/Button/Button';
import { TextField } from '../../components/Field/Field';
import { StatusMessage } from '../../components/StatusMessage/StatusMessage';
import { counterApi, type QrValidation } from './counterApi';
import { CameraScanner } from '../../components/CameraScanner/CameraScanner';

export interface QrCheckProps {
  municipalityCode: string;
  /** Opens the accepted resident in the counter view. */
  onOpenResident: (residentNumber: string) => void;
}

/**
 * Checks a resident's QR code (a phone's rotating code or a printed card): typed, pasted or read by
 * the camera, then POST …/qr/validate. The answer is accepted (with the global id) or the server's
 * localized problem (expired, already used, revoked, unknown).
 */
export function QrCheck({ municipalityCode, onOpenResident }: QrCheckProps) {
  const { t } = useTranslation();
  const [token, setToken] = useState('');
  const [scanning, setScanning] = useState(false);
  const [result, setResult] = useState<QrValidation | null>(null);
  const { busy, error, run, onSubmit } = useSubmit();
  const inputRef = useRef<HTMLInputElement>(null);

  const validate = async (value: string) => {
    setResult(null);
    setResult(await counterApi.validateQr(municipalityCode, value.trim()));
  };

  return (
    <Section title={t('counter.qrCheck.title')}>
      <p className="mb-4">{t('counter.qrCheck.lead')}</p>
      <form
        onSubmit={onSubmit(() => validate(token))}
        className="flex flex-col gap-4 rounded-12 border border-solid-gray-420 p-4"
        aria-busy={busy}
      >
        <TextField
          ref={inputRef}
          id="counter-qr-token"
          label={t('counter.qrCheck.token')}
          hint={t('counter.qrCheck.tokenHint')}
          required
          maxLength={512}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          value={token}
          onChange={(e) => {
            setToken(e.currentTarget.value);
            setResult(null);
          }}
          className="font-mono"
        />
        <div className="flex flex-wrap gap-3">
          <SubmitButton busy={busy} busyLabel={t('counter.qrCheck.checking')}>
            {t('counter.qrCheck.submit')}
          </SubmitButton>
          {!scanning && (
            <Button variant="secondary" onClick={() => setScanning(true)}>
              {t('counter.qrCheck.scan')}
            </Button>
          )}
        </div>
        {scanning && (
          <CameraScanner
            onScan={(text) => {
              setScanning(false);
              setToken(text);
              void run(() => validate(text));
            }}
            onStop={() => {
              setScanning(false);
              inputRef.current?.focus();
            }}
          />
        )}
        <ProblemAlert error={error} />
        <StatusMessage message={result ? t('counter.qrCheck.accepted') : null} />
        {result && (
          <div className="flex flex-col gap-3 rounded-8 bg-solid-gray-50 p-3" data-testid="qr-check-result">
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
              <dt className="font-bold">{t('counter.qrCheck.resultGlobalId')}</dt>
              <dd className="font-mono">{`${municipalityCode}-${result.residentNumber}`}</dd>
              <dt className="font-bold">{t('counter.qrCheck.resultKind')}</dt>
              <dd>{t(`counter.qrCheck.kinds.${result.kind}`)}</dd>
            </dl>
            <Button variant="secondary" className="self-start" onClick={() => onOpenResident(result.residentNumber)}>
              {t('counter.qrCheck.openResident')}
            </Button>
          </div>
        )}
      </form>
    </Section>
  );
}

import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSubmit } from '../../hooks/useSubmit';
import { checkResidentNumber, type ResidentNumberCheck } from '../../lib/residentNumber';
import { Section } from '../../components/Section/Section';
import { SubmitButton } from '../../components/Button/Button';
import { ProblemAlert } from '../../components/ProblemAlert/ProblemAlert';
import { TextField } from '../../components/Field/Field';
import { counterApi, type ResidentView } from './counterApi';

export interface ResidentLookupFormProps {
  municipalityCode: string;
  onFound: (r: ResidentView) => void;
  onBeforeLookup: () => void;
}

/** id of the resident ID field (the counter page focuses it when a visit ends). */
export const LOOKUP_INPUT_ID = 'counter-resident-number';

type Failure = Extract<ResidentNumberCheck, { ok: false }>['reason'];

/**
 * Finds a resident by the six-digit resident ID. The check digit is verified here first, so a
 * typo is reported at once and never sent (the server checks again).
 */
export function ResidentLookupForm({ municipalityCode, onFound, onBeforeLookup }: ResidentLookupFormProps) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const [failure, setFailure] = useState<Failure | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const { busy, error, submit } = useSubmit();

  const check = () => {
    const c = checkResidentNumber(value);
    setFailure(c.ok ? null : c.reason);
    if (!c.ok) inputRef.current?.focus();
    return c.ok;
  };

  const lookup = async () => {
    const c = checkResidentNumber(value);
    if (!c.ok) return;
    onBeforeLookup();
    onFound(await counterApi.residentByNumber(municipalityCode, c.number));
  };

  const messages: Record<Failure, string> = {
    empty: t('counter.lookup.empty'),
    format: t('counter.lookup.format'),
    'check-digit': t('counter.lookup.checkDigit'),
  };
  const errorId = `${LOOKUP_INPUT_ID}-error`;

  return (
    <Section title={t('counter.lookup.title')}>
      <form
        onSubmit={(e) => submit(e, lookup, check)}
        noValidate
        className="flex flex-col gap-4 rounded-12 border border-solid-gray-420 p-4"
      >
        <ProblemAlert error={error} />
        <TextField
          ref={inputRef}
          id={LOOKUP_INPUT_ID}
          label={t('counter.lookup.label')}
          hint={t('counter.lookup.hint')}
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          maxLength={20}
          value={value}
          aria-invalid={failure !== null}
          aria-errormessage={failure ? errorId : undefined}
          onChange={(e) => {
            setValue(e.currentTarget.value);
            setFailure(null);
          }}
          className="font-mono sm:max-w-xs"
        />
        {failure && (
          <p id={errorId} role="alert" className="text-std-16B-170 text-error-2">
            {messages[failure]}
          </p>
        )}
        <SubmitButton busy={busy} busyLabel={t('counter.lookup.searching')} className="self-start">
          {t('counter.lookup.submit')}
        </SubmitButton>
      </form>
    </Section>
  );
}

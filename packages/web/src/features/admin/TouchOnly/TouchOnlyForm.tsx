import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSubmit } from '../../../hooks/useSubmit';
import { useLang, withCode } from '../../../lib/localized';
import { CheckboxGroup } from '../../../components/Field/Field';
import { SubmitButton } from '../../../components/Button/Button';
import { ProblemAlert } from '../../../components/ProblemAlert/ProblemAlert';
import { StatusMessage } from '../../../components/StatusMessage/StatusMessage';
import { KNOWN_FLOWS, isKnownFlow, touchOnlyApi, type TouchOnlyFlows } from './touchOnlyApi';

export interface TouchOnlyFormProps {
  municipalityCode: string;
  initial: string[];
  canEdit: boolean;
  onSaved: (flows: TouchOnlyFlows) => void;
}

/** Checkboxes for the touch-only flows; a flow the server knows but this screen does not is kept. */
export function TouchOnlyForm({ municipalityCode, initial, canEdit, onSaved }: TouchOnlyFormProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const [flows, setFlows] = useState<string[]>(initial);
  const [saved, setSaved] = useState<string | null>(null);
  const { busy, error, onSubmit } = useSubmit();
  const offered = [...KNOWN_FLOWS, ...initial.filter((f) => !isKnownFlow(f))];
  const label = (f: string) =>
    isKnownFlow(f) ? withCode(t(`counter.touchOnly.flows.${f}`), f, lang) : t('counter.touchOnly.unknownFlow', { id: f });

  const save = async () => {
    setSaved(null);
    const next = await touchOnlyApi.put(municipalityCode, flows);
    setFlows(next.flows);
    onSaved(next);
    setSaved(t('counter.touchOnly.saved'));
  };

  return (
    <>
      <StatusMessage message={saved} className="mb-4" />
      <form onSubmit={onSubmit(save)} className="flex flex-col gap-4 rounded-12 border border-solid-gray-420 p-4">
        <ProblemAlert error={error} />
        {!canEdit && <p className="text-std-16B-170">{t('counter.touchOnly.readOnly')}</p>}
        <CheckboxGroup
          idPrefix="touch-only-flow"
          legend={t('counter.touchOnly.legend')}
          legendClassName="sr-only"
          options={offered.map((f) => ({ value: f, label: label(f) }))}
          value={flows}
          onChange={(v) => {
            setSaved(null);
            setFlows(v);
          }}
          disabled={!canEdit || busy}
          className="[&>div]:flex-col"
        />
        {flows.length === 0 && <p>{t('counter.touchOnly.none')}</p>}
        {canEdit && (
          <SubmitButton busy={busy} className="self-start">
            {t('counter.touchOnly.save')}
          </SubmitButton>
        )}
      </form>
    </>
  );
}

import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DisasterView, ShelterStatus, ShelterView } from '../../api/shelterTypes';
import { localName, useLang } from '../../lib/localized';
import { useSubmit } from '../../hooks/useSubmit';
import { EditPanel } from '../../components/EditPanel/EditPanel';
import { SelectField } from '../../components/Field/Field';
import { FormSection } from '../../components/FormSection/FormSection';
import { hqApi } from './hqApi';
import { STATUSES } from './labels';

function DisasterSelect({
  id,
  disasters,
  value,
  onChange,
  required,
}: {
  id: string;
  disasters: readonly DisasterView[];
  value: string;
  onChange: (id: string) => void;
  required: boolean;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  if (disasters.length === 0) {
    return <p className="rounded-8 border-2 border-warning-yellow-1 bg-yellow-50 px-4 py-3">{t('hq.statusPanel.noDisaster')}</p>;
  }
  return (
    <SelectField
      id={id}
      label={t('hq.statusPanel.disaster')}
      hint={t('hq.statusPanel.disasterHint')}
      value={value}
      required={required}
      onChange={(e) => onChange(e.currentTarget.value)}
    >
      {disasters.map((d) => (
        <option key={d.id} value={d.id}>
          {localName(d, lang)}
        </option>
      ))}
    </SelectField>
  );
}

export interface StatusPanelProps {
  code: string;
  shelter: { id: string; name: string; status: ShelterStatus; disasterId: string | null };
  /** Active disasters, newest first. */
  disasters: readonly DisasterView[];
  onDone: (updated: ShelterView, message: string) => void;
  onCancel: () => void;
}

/** Changes one shelter's status (open / full / opening requested need the disaster it is for). */
export function StatusPanel({ code, shelter, disasters, onDone, onCancel }: StatusPanelProps) {
  const { t } = useTranslation();
  const { busy, error, onSubmit } = useSubmit();
  const [status, setStatus] = useState<ShelterStatus | ''>('');
  const [disasterId, setDisasterId] = useState(
    shelter.disasterId && disasters.some((d) => d.id === shelter.disasterId) ? shelter.disasterId : (disasters[0]?.id ?? ''),
  );
  const needsDisaster = status !== '' && status !== 'closed';

  const save = async () => {
    if (!status) return;
    const updated = await hqApi.setStatus(code, shelter.id, {
      status,
      ...(needsDisaster && disasterId ? { disasterId } : {}),
    });
    onDone(updated, t('hq.statusPanel.saved', { name: shelter.name, status: t(`hq.status.${status}`) }));
  };

  return (
    <EditPanel
      headingId="hq-status-panel-title"
      title={t('hq.statusPanel.title', { name: shelter.name })}
      onSubmit={onSubmit(save)}
      onCancel={onCancel}
      busy={busy}
      error={error}
    >
      <p>{t('hq.statusPanel.current', { status: t(`hq.status.${shelter.status}`) })}</p>
      <fieldset className="min-w-0">
        <legend className="text-std-17B-170">{t('hq.statusPanel.newStatus')}</legend>
        <div className="mt-1 flex flex-col gap-1">
          {STATUSES.map((s) => (
            <div key={s} className="flex items-start">
              <input
                id={`hq-status-${s}`}
                type="radio"
                name="hq-status"
                value={s}
                required
                disabled={s === shelter.status}
                checked={status === s}
                onChange={() => setStatus(s)}
                aria-describedby={`hq-status-${s}-hint`}
                className="mt-3 size-6 shrink-0 cursor-pointer disabled:cursor-not-allowed"
              />
              <label htmlFor={`hq-status-${s}`} className="flex min-h-11 cursor-pointer flex-col py-2 pl-3">
                <span className="text-std-16B-170">{t(`hq.status.${s}`)}</span>
                <span id={`hq-status-${s}-hint`} className="text-dns-16N-130 text-solid-gray-700">
                  {t(`hq.statusHint.${s}`)}
                </span>
              </label>
            </div>
          ))}
        </div>
      </fieldset>
      {needsDisaster && (
        <DisasterSelect id="hq-status-disaster" disasters={disasters} value={disasterId} onChange={setDisasterId} required />
      )}
    </EditPanel>
  );
}

export interface OpenShelterFormProps {
  code: string;
  /** The registry's closed shelters. */
  closed: readonly ShelterView[];
  disasters: readonly DisasterView[];
  onDone: (updated: ShelterView, message: string) => void;
}

/** Opens a closed shelter (the live table lists only shelters that are not closed). */
export function OpenShelterForm({ code, closed, disasters, onDone }: OpenShelterFormProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const { busy, error, onSubmit } = useSubmit();
  const [shelterId, setShelterId] = useState('');
  const [status, setStatus] = useState<'open' | 'requested'>('open');
  const [disasterId, setDisasterId] = useState('');
  const chosenShelter = closed.some((s) => s.id === shelterId) ? shelterId : (closed[0]?.id ?? '');
  const chosenDisaster = disasters.some((d) => d.id === disasterId) ? disasterId : (disasters[0]?.id ?? '');

  const open = async () => {
    const shelter = closed.find((s) => s.id === chosenShelter);
    if (!shelter) return;
    const updated = await hqApi.setStatus(code, shelter.id, {
      status,
      ...(chosenDisaster ? { disasterId: chosenDisaster } : {}),
    });
    onDone(updated, t('hq.statusPanel.saved', { name: localName(shelter, lang), status: t(`hq.status.${status}`) }));
  };

  if (closed.length === 0) {
    return (
      <section aria-labelledby="hq-open-title" className="mt-8">
        <h2 id="hq-open-title" className="mb-4 text-std-24B-150">
          {t('hq.openShelter.title')}
        </h2>
        <p>{t('hq.openShelter.noneClosed')}</p>
      </section>
    );
  }

  return (
    <FormSection
      title={t('hq.openShelter.title')}
      onSubmit={onSubmit(open)}
      busy={busy}
      error={error}
      submitLabel={t('hq.openShelter.submit')}
    >
      <p>{t('hq.openShelter.lead')}</p>
      <div className="grid gap-4 md:grid-cols-3">
        <SelectField
          id="hq-open-shelter"
          label={t('hq.openShelter.shelter')}
          value={chosenShelter}
          required
          onChange={(e) => setShelterId(e.currentTarget.value)}
        >
          {closed.map((s) => (
            <option key={s.id} value={s.id}>
              {localName(s, lang)}
            </option>
          ))}
        </SelectField>
        <SelectField
          id="hq-open-status"
          label={t('hq.openShelter.status')}
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value === 'requested' ? 'requested' : 'open')}
        >
          <option value="open">{t('hq.status.open')}</option>
          <option value="requested">{t('hq.status.requested')}</option>
        </SelectField>
        <DisasterSelect id="hq-open-disaster" disasters={disasters} value={chosenDisaster} onChange={setDisasterId} required />
      </div>
    </FormSection>
  );
}

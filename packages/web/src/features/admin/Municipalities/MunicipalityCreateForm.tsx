import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/api';
import type { Municipality, MunicipalityInput } from '../../../api/types';
import { useSubmit } from '../../../hooks/useSubmit';
import { FormSection } from '../../../components/FormSection/FormSection';
import { TextField } from '../../../components/Field/Field';
import { MunicipalityNameFields } from './MunicipalityNameFields';

const empty: MunicipalityInput = { code: '', nameJa: '', nameEn: '', prefectureJa: '', prefectureEn: '' };

export function MunicipalityCreateForm({ onCreated }: { onCreated: (m: Municipality) => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState<MunicipalityInput>(empty);
  const { busy, error, onSubmit } = useSubmit();

  const create = async () => {
    const trimmed = Object.fromEntries(Object.entries(form).map(([k, v]) => [k, v.trim()])) as MunicipalityInput;
    const created = await api.createMunicipality(trimmed);
    setForm(empty);
    onCreated(created);
  };

  return (
    <FormSection
      title={t('municipalities.addTitle')}
      onSubmit={onSubmit(create)}
      busy={busy}
      error={error}
      submitLabel={t('municipalities.addSubmit')}
    >
      <TextField
        id="new-municipality-code"
        label={t('municipalities.code')}
        hint={t('municipalities.codeHint')}
        inputMode="numeric"
        pattern="[0-9]{6}"
        maxLength={6}
        required
        autoComplete="off"
        value={form.code}
        onChange={(e) => setForm({ ...form, code: e.currentTarget.value.replace(/[^0-9]/g, '') })}
        className="max-w-48 font-mono"
      />
      <MunicipalityNameFields idPrefix="new-municipality" value={form} onChange={(v) => setForm({ ...form, ...v })} />
    </FormSection>
  );
}

import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/api';
import type { Municipality, MunicipalityPatch } from '../../../api/types';
import { useSubmit } from '../../../hooks/useSubmit';
import { localName, useLang } from '../../../lib/localized';
import { EditPanel } from '../../../components/EditPanel/EditPanel';
import { MunicipalityNameFields, type NameValues } from './MunicipalityNameFields';

export interface MunicipalityEditFormProps {
  municipality: Municipality;
  onSaved: (m: Municipality) => void;
  onCancel: () => void;
}

export function MunicipalityEditForm({ municipality: m, onSaved, onCancel }: MunicipalityEditFormProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const [form, setForm] = useState<NameValues>({
    nameJa: m.nameJa,
    nameEn: m.nameEn,
    prefectureJa: m.prefectureJa,
    prefectureEn: m.prefectureEn,
  });
  const { busy, error, onSubmit } = useSubmit();

  const save = async () => {
    // Send only what changed.
    const patch: MunicipalityPatch = {};
    (Object.keys(form) as (keyof NameValues)[]).forEach((k) => {
      const v = form[k].trim();
      if (v !== m[k]) patch[k] = v;
    });
    onSaved(await api.updateMunicipality(m.code, patch));
  };

  return (
    <EditPanel
      headingId="edit-municipality-title"
      title={t('municipalities.editTitle', { name: localName(m, lang) })}
      onSubmit={onSubmit(save)}
      onCancel={onCancel}
      busy={busy}
      error={error}
    >
      <MunicipalityNameFields idPrefix={`edit-${m.code}`} value={form} onChange={(v) => setForm({ ...form, ...v })} />
    </EditPanel>
  );
}

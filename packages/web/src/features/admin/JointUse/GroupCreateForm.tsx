import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/api';
import type { JointUseGroup } from '../../../api/types';
import { useSubmit } from '../../../hooks/useSubmit';
import { FormSection } from '../../../components/FormSection/FormSection';
import { TextField } from '../../../components/Field/Field';

export interface GroupCreateFormProps {
  onCreated: (g: JointUseGroup) => void;
  onBeforeWrite: () => void;
}

export function GroupCreateForm({ onCreated, onBeforeWrite }: GroupCreateFormProps) {
  const { t } = useTranslation();
  const [nameJa, setNameJa] = useState('');
  const [nameEn, setNameEn] = useState('');
  const { busy, error, onSubmit } = useSubmit();

  const create = async () => {
    onBeforeWrite();
    const g = await api.createGroup({ nameJa: nameJa.trim(), nameEn: nameEn.trim() });
    setNameJa('');
    setNameEn('');
    onCreated(g);
  };

  return (
    <FormSection
      title={t('jointUse.createTitle')}
      onSubmit={onSubmit(create)}
      busy={busy}
      error={error}
      submitLabel={t('common.create')}
    >
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <TextField
          id="new-group-name-ja"
          label={t('jointUse.groupNameJa')}
          lang="ja"
          required
          autoComplete="off"
          value={nameJa}
          onChange={(e) => setNameJa(e.currentTarget.value)}
        />
        <TextField
          id="new-group-name-en"
          label={t('jointUse.groupNameEn')}
          lang="en"
          required
          autoComplete="off"
          value={nameEn}
          onChange={(e) => setNameEn(e.currentTarget.value)}
        />
      </div>
    </FormSection>
  );
}

import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/api';
import type { JointUseGroup } from '../../../api/types';
import { Section } from '../../../components/Section/Section';
import { TextField } from '../../../components/Field/Field';
import { Button } from '../../../components/Button/Button';
import { ProblemAlert } from '../../../components/ProblemAlert/ProblemAlert';

export interface GroupCreateFormProps {
  onCreated: (g: JointUseGroup) => void;
  onBeforeWrite: () => void;
}

export function GroupCreateForm({ onCreated, onBeforeWrite }: GroupCreateFormProps) {
  const { t } = useTranslation();
  const [nameJa, setNameJa] = useState('');
  const [nameEn, setNameEn] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    onBeforeWrite();
    setBusy(true);
    setError(undefined);
    try {
      const g = await api.createGroup({ nameJa: nameJa.trim(), nameEn: nameEn.trim() });
      setNameJa('');
      setNameEn('');
      onCreated(g);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Section title={t('jointUse.createTitle')}>
      <form onSubmit={submit} className="flex flex-col gap-4 rounded-12 border border-solid-gray-420 p-4">
        <ProblemAlert error={error} />
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
        <Button type="submit" disabled={busy} className="self-start">
          {busy ? t('common.saving') : t('common.create')}
        </Button>
      </form>
    </Section>
  );
}

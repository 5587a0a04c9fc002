import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/api';
import type { Municipality, MunicipalityInput } from '../../../api/types';
import { Section } from '../../../components/Section/Section';
import { TextField } from '../../../components/Field/Field';
import { Button } from '../../../components/Button/Button';
import { ProblemAlert } from '../../../components/ProblemAlert/ProblemAlert';
import { MunicipalityNameFields } from './MunicipalityNameFields';

const empty: MunicipalityInput = { code: '', nameJa: '', nameEn: '', prefectureJa: '', prefectureEn: '' };

export function MunicipalityCreateForm({ onCreated }: { onCreated: (m: Municipality) => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState<MunicipalityInput>(empty);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const created = await api.createMunicipality({
        code: form.code.trim(),
        nameJa: form.nameJa.trim(),
        nameEn: form.nameEn.trim(),
        prefectureJa: form.prefectureJa.trim(),
        prefectureEn: form.prefectureEn.trim(),
      });
      setForm(empty);
      onCreated(created);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Section title={t('municipalities.addTitle')}>
      <form onSubmit={submit} className="flex flex-col gap-4 rounded-12 border border-solid-gray-420 p-4">
        <ProblemAlert error={error} />
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
        <Button type="submit" disabled={busy} className="self-start">
          {busy ? t('common.saving') : t('municipalities.addSubmit')}
        </Button>
      </form>
    </Section>
  );
}

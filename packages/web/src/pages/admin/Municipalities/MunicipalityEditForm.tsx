import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/api';
import type { Municipality, MunicipalityPatch } from '../../../api/types';
import { localName, useLang } from '../../../lib/localized';
import { Button } from '../../../components/Button/Button';
import { ProblemAlert } from '../../../components/ProblemAlert/ProblemAlert';
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
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const patch: MunicipalityPatch = {};
    (Object.keys(form) as (keyof NameValues)[]).forEach((k) => {
      const v = form[k].trim();
      if (v !== m[k]) patch[k] = v;
    });
    setBusy(true);
    setError(undefined);
    try {
      onSaved(await api.updateMunicipality(m.code, patch));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="edit-municipality-title" className="mt-8 rounded-12 border-2 border-blue-900 p-4">
      <h2 id="edit-municipality-title" ref={headingRef} tabIndex={-1} className="text-std-24B-150">
        {t('municipalities.editTitle', { name: localName(m, lang) })}
      </h2>
      <form onSubmit={submit} className="mt-4 flex flex-col gap-4">
        <ProblemAlert error={error} />
        <MunicipalityNameFields idPrefix={`edit-${m.code}`} value={form} onChange={(v) => setForm({ ...form, ...v })} />
        <div className="flex flex-wrap gap-3">
          <Button type="submit" disabled={busy}>
            {busy ? t('common.saving') : t('common.save')}
          </Button>
          <Button variant="secondary" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        </div>
      </form>
    </section>
  );
}

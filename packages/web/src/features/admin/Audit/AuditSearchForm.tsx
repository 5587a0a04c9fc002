import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditQuery } from '../../../api/types';
import { localInputToIso } from '../../../lib/format';
import { TextField } from '../../../components/Field/Field';
import { Button } from '../../../components/Button/Button';

export const DEFAULT_LIMIT = 100;

interface FormState {
  actor: string;
  action: string;
  residentId: string;
  from: string;
  to: string;
  limit: string;
}

export interface AuditSearchFormProps {
  busy: boolean;
  onSearch: (q: AuditQuery) => void;
}

export function AuditSearchForm({ busy, onSearch }: AuditSearchFormProps) {
  const { t } = useTranslation();
  const [form, setForm] = useState<FormState>({
    actor: '',
    action: '',
    residentId: '',
    from: '',
    to: '',
    limit: String(DEFAULT_LIMIT),
  });
  const set = (k: keyof FormState) => (e: { currentTarget: { value: string } }) =>
    setForm({ ...form, [k]: e.currentTarget.value });

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const limit = Number.parseInt(form.limit, 10);
    onSearch({
      actor: form.actor.trim() || undefined,
      action: form.action.trim() || undefined,
      residentId: form.residentId.trim() || undefined,
      from: localInputToIso(form.from),
      to: localInputToIso(form.to),
      limit: Number.isFinite(limit) && limit > 0 ? limit : DEFAULT_LIMIT,
    });
  }

  return (
    <form onSubmit={submit} role="search" className="flex flex-col gap-4 rounded-12 border border-solid-gray-420 p-4">
      <div className="grid grid-cols-1 gap-4 md:grid-cols-3">
        <TextField id="audit-actor" label={t('audit.actor')} autoComplete="off" value={form.actor} onChange={set('actor')} />
        <TextField id="audit-action" label={t('audit.action')} autoComplete="off" value={form.action} onChange={set('action')} />
        <TextField
          id="audit-resident"
          label={t('audit.residentId')}
          autoComplete="off"
          value={form.residentId}
          onChange={set('residentId')}
        />
        <TextField id="audit-from" type="datetime-local" step={1} label={t('audit.from')} value={form.from} onChange={set('from')} />
        <TextField id="audit-to" type="datetime-local" step={1} label={t('audit.to')} value={form.to} onChange={set('to')} />
        <TextField
          id="audit-limit"
          type="number"
          inputMode="numeric"
          min={1}
          max={1000}
          label={t('audit.limit')}
          value={form.limit}
          onChange={set('limit')}
        />
      </div>
      <Button type="submit" disabled={busy} className="self-start">
        {t('audit.submit')}
      </Button>
    </form>
  );
}

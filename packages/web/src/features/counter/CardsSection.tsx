import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../hooks/useApi';
import { useSubmit } from '../../hooks/useSubmit';
import { formatDateTime } from '../../lib/format';
import { useLang } from '../../lib/localized';
import { Section } from '../../components/Section/Section';
import { DataTable } from '../../components/DataTable/DataTable';
import { Loading } from '../../components/Loading/Loading';
import { ProblemAlert } from '../../components/ProblemAlert/ProblemAlert';
import { Button, SubmitButton } from '../../components/Button/Button';
import { TextField } from '../../components/Field/Field';
import { counterApi, type CardBinding, type CardStatus, type ResidentView } from './counterApi';
import { CardRenewal } from './CardRenewal';
import type { TouchModeControl } from './touchMode';

export interface CardsSectionProps {
  municipalityCode: string;
  resident: ResidentView;
  displayId: string;
  touch: TouchModeControl;
  onStatus: (message: string | null) => void;
}

const statusClass: Record<CardStatus, string> = {
  active: 'font-bold text-success-2',
  suspended: 'font-bold text-error-2',
  replaced: 'text-solid-gray-700',
};

/** The resident's cards (in use, suspended, replaced), suspending a lost card, and card renewal. */
export function CardsSection({ municipalityCode, resident, displayId, touch, onStatus }: CardsSectionProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const cards = useApi(['counter', 'cards', municipalityCode, resident.id], (signal) => counterApi.cards(municipalityCode, resident.id, signal));
  const active = cards.data?.find((c) => c.status === 'active');

  return (
    <Section title={t('counter.cards.title')} level={3}>
      {cards.loading && <Loading />}
      <ProblemAlert error={cards.error} />
      {cards.data &&
        (cards.data.length === 0 ? (
          <p>{t('counter.cards.empty')}</p>
        ) : (
          <DataTable<CardBinding>
            caption={t('counter.cards.caption', { id: displayId })}
            rows={cards.data}
            rowKey={(c) => c.id}
            columns={[
              {
                key: 'status',
                header: t('counter.cards.status'),
                cell: (c) => <span className={statusClass[c.status]}>{t(`counter.cards.statuses.${c.status}`)}</span>,
              },
              { key: 'boundAt', header: t('counter.cards.boundAt'), cell: (c) => formatDateTime(c.boundAt, lang) },
              { key: 'suspendedAt', header: t('counter.cards.suspendedAt'), cell: (c) => formatDateTime(c.suspendedAt, lang) || '—' },
              { key: 'endedAt', header: t('counter.cards.endedAt'), cell: (c) => formatDateTime(c.endedAt, lang) || '—' },
            ]}
          />
        ))}
      {cards.data && !active && cards.data.length > 0 && <p className="mt-2">{t('counter.cards.noActive')}</p>}
      {active && (
        <SuspendCard
          key={active.id}
          municipalityCode={municipalityCode}
          resident={resident}
          onSuspended={(b) => {
            cards.setData((prev) => prev?.map((c) => (c.id === b.id ? b : c)));
            onStatus(t('counter.cards.suspended'));
          }}
          onBeforeWrite={() => onStatus(null)}
        />
      )}
      {cards.data && (
        <CardRenewal
          municipalityCode={municipalityCode}
          resident={resident}
          touch={touch}
          onRenewed={() => {
            cards.reload();
            onStatus(t('counter.renewal.done'));
          }}
          onBeforeWrite={() => onStatus(null)}
        />
      )}
    </Section>
  );
}

interface SuspendCardProps {
  municipalityCode: string;
  resident: ResidentView;
  onSuspended: (b: CardBinding) => void;
  onBeforeWrite: () => void;
}

/** A lost or stolen card: suspended at once, with the reason (required) recorded. */
function SuspendCard({ municipalityCode, resident, onSuspended, onBeforeWrite }: SuspendCardProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const { busy, error, onSubmit } = useSubmit();
  const formId = `suspend-card-${resident.id}`;

  if (!open) {
    return (
      <Button variant="danger" className="mt-4" aria-expanded={false} aria-controls={formId} onClick={() => setOpen(true)}>
        {t('counter.cards.suspendOpen')}
      </Button>
    );
  }

  const suspend = async () => {
    onBeforeWrite();
    const b = await counterApi.suspendCard(municipalityCode, resident.id, reason.trim());
    setOpen(false);
    setReason('');
    onSuspended(b);
  };

  return (
    <form
      id={formId}
      onSubmit={onSubmit(suspend)}
      aria-labelledby={`${formId}-title`}
      className="mt-4 flex flex-col gap-4 rounded-12 border-2 border-red-900 p-4"
    >
      <h4 id={`${formId}-title`} className="text-std-18B-160">
        {t('counter.cards.suspendTitle')}
      </h4>
      <p>{t('counter.cards.suspendLead')}</p>
      <ProblemAlert error={error} />
      <TextField
        id={`${formId}-reason`}
        label={t('counter.cards.reason')}
        hint={t('counter.cards.reasonHint')}
        required
        minLength={2}
        maxLength={200}
        autoComplete="off"
        autoFocus
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        wrapperClassName="md:max-w-md"
      />
      <div className="flex flex-wrap gap-3">
        <SubmitButton busy={busy} busyLabel={t('counter.cards.suspending')} variant="danger">
          {t('counter.cards.suspendSubmit')}
        </SubmitButton>
        <Button variant="secondary" onClick={() => setOpen(false)} disabled={busy}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}

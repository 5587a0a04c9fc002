import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../hooks/useApi';
import { useSubmit } from '../../hooks/useSubmit';
import { formatDateTime } from '../../lib/format';
import { serviceLabel, useLang } from '../../lib/localized';
import { Section } from '../../components/Section/Section';
import { DataTable } from '../../components/DataTable/DataTable';
import { Loading } from '../../components/Loading/Loading';
import { ProblemAlert } from '../../components/ProblemAlert/ProblemAlert';
import { Button } from '../../components/Button/Button';
import type { ConsentView } from '../../api/types';
import { counterApi, type ResidentView } from './counterApi';

export interface ConsentsSectionProps {
  municipalityCode: string;
  resident: ResidentView;
  displayId: string;
  onStatus: (message: string | null) => void;
}

/** The resident's consent records; staff may withdraw one on the resident's behalf, after a confirmation. */
export function ConsentsSection({ municipalityCode, resident, displayId, onStatus }: ConsentsSectionProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const consents = useApi(['counter', 'consents', municipalityCode, resident.id], (signal) => counterApi.consents(municipalityCode, resident.id, signal));
  const [confirming, setConfirming] = useState<ConsentView | null>(null);
  const sep = lang === 'en' ? ', ' : '、';
  const list = (items: string[]) => (items.length ? items.join(sep) : t('common.none'));

  return (
    <Section title={t('counter.consents.title')} level={3}>
      {consents.loading && <Loading />}
      <ProblemAlert error={consents.error} />
      {consents.data &&
        (consents.data.length === 0 ? (
          <p>{t('counter.consents.empty')}</p>
        ) : (
          <DataTable<ConsentView>
            caption={t('counter.consents.caption', { id: displayId })}
            rows={consents.data}
            rowKey={(c) => c.id}
            columns={[
              { key: 'purpose', header: t('counter.consents.purpose'), cell: (c) => c.purpose, className: 'min-w-40' },
              {
                key: 'services',
                header: t('counter.consents.services'),
                cell: (c) => list(c.scope.services.map((s) => serviceLabel(t, s))),
              },
              { key: 'categories', header: t('counter.consents.categories'), cell: (c) => list(c.scope.dataCategories) },
              { key: 'recipients', header: t('counter.consents.recipients'), cell: (c) => list(c.recipients) },
              { key: 'givenAt', header: t('counter.consents.givenAt'), cell: (c) => formatDateTime(c.givenAt, lang) },
              {
                key: 'status',
                header: t('counter.consents.status'),
                cell: (c) =>
                  c.status === 'active' ? (
                    <span className="font-bold text-success-2">{t('counter.consents.active')}</span>
                  ) : (
                    t('counter.consents.withdrawn', { time: formatDateTime(c.withdrawnAt, lang) })
                  ),
              },
              {
                key: 'actions',
                header: t('common.actions'),
                cell: (c) =>
                  c.status === 'active' && (
                    <Button
                      variant="danger"
                      aria-label={t('counter.consents.withdrawLabel', { purpose: c.purpose })}
                      aria-expanded={confirming?.id === c.id}
                      onClick={() => {
                        onStatus(null);
                        setConfirming(c);
                      }}
                    >
                      {t('counter.consents.withdraw')}
                    </Button>
                  ),
              },
            ]}
          />
        ))}
      {confirming && (
        <WithdrawConfirm
          key={confirming.id}
          municipalityCode={municipalityCode}
          resident={resident}
          consent={confirming}
          onCancel={() => setConfirming(null)}
          onWithdrawn={(c) => {
            consents.setData((prev) => prev?.map((x) => (x.id === c.id ? c : x)));
            setConfirming(null);
            onStatus(t('counter.consents.withdrawnDone', { purpose: c.purpose }));
          }}
        />
      )}
    </Section>
  );
}

interface WithdrawConfirmProps {
  municipalityCode: string;
  resident: ResidentView;
  consent: ConsentView;
  onCancel: () => void;
  onWithdrawn: (c: ConsentView) => void;
}

function WithdrawConfirm({ municipalityCode, resident, consent, onCancel, onWithdrawn }: WithdrawConfirmProps) {
  const { t } = useTranslation();
  const { busy, error, run } = useSubmit();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const headingId = `withdraw-${consent.id}-title`;

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  return (
    <section aria-labelledby={headingId} className="mt-4 rounded-12 border-2 border-red-900 p-4">
      <h4 id={headingId} ref={headingRef} tabIndex={-1} className="text-std-18B-160">
        {t('counter.consents.confirmTitle')}
      </h4>
      <p className="mt-2">{t('counter.consents.confirmBody', { purpose: consent.purpose })}</p>
      <ProblemAlert error={error} className="mt-3" />
      <div className="mt-4 flex flex-wrap gap-3">
        <Button
          variant="danger"
          disabled={busy}
          onClick={() => void run(async () => onWithdrawn(await counterApi.withdrawConsent(municipalityCode, resident.id, consent.id)))}
        >
          {busy ? t('counter.consents.withdrawing') : t('counter.consents.confirm')}
        </Button>
        <Button variant="secondary" onClick={onCancel} disabled={busy}>
          {t('counter.consents.keep')}
        </Button>
      </div>
    </section>
  );
}

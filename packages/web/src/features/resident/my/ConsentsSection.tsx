import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { residentApi } from '../../../api/resident';
import type { ConsentView } from '../../../api/types';
import type { PublicMunicipality } from '../../../api/types';
import { useApi } from '../../../hooks/useApi';
import { useSubmit } from '../../../hooks/useSubmit';
import { Section } from '../../../components/Section/Section';
import { Loading } from '../../../components/Loading/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert/ProblemAlert';
import { Button } from '../../../components/Button/Button';
import { formatDateTime } from '../../../lib/format';
import { localName, serviceLabel, useLang } from '../../../lib/localized';
import { SERVICE_PURPOSE_PREFIX, SHARE_PURPOSE } from '../kiosk/ConsentStep';
import { ConfirmDialog } from '../../../components/ConfirmDialog/ConfirmDialog';

/** A consent's purpose in words (the kiosk's purpose codes; anything else as recorded). */
export function purposeText(t: TFunction, purpose: string): string {
  if (purpose === SHARE_PURPOSE) return t('resident.my.purposes.share');
  if (purpose.startsWith(SERVICE_PURPOSE_PREFIX)) return t('resident.my.purposes.service', { service: serviceLabel(t, purpose.slice(SERVICE_PURPOSE_PREFIX.length)) });
  return purpose;
}

export interface ConsentsSectionProps {
  directory: PublicMunicipality[] | undefined;
  /** After a withdrawal or export (both are recorded in the access log). */
  onChanged: (message: string) => void;
}

/** The resident's consents: withdraw one (after a confirmation; immediate), download all as JSON. */
export function ConsentsSection({ directory, onChanged }: ConsentsSectionProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const list = useApi(['resident', 'consents'], (signal) => residentApi.consents(signal));
  const [confirming, setConfirming] = useState<ConsentView | null>(null);
  const withdraw = useSubmit();
  const exporting = useSubmit();

  const names = (codes: string[]) =>
    codes.map((c) => {
      const m = directory?.find((x) => x.code === c);
      return m ? localName(m, lang) : c;
    }).join(lang === 'en' ? ', ' : '・');

  const doWithdraw = (c: ConsentView) =>
    withdraw.run(async () => {
      const after = await residentApi.withdrawConsent(c.id);
      list.setData((prev) => prev?.map((x) => (x.id === after.id ? after : x)));
      setConfirming(null);
      onChanged(t('resident.my.withdrawn', { purpose: purposeText(t, c.purpose) }));
    });

  const doExport = () =>
    exporting.run(async () => {
      const doc = await residentApi.exportConsents();
      const blob = new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `kazashi-consents-${doc.exportedAt.slice(0, 10)}.json`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      onChanged(t('resident.my.exported'));
    });

  return (
    <Section title={t('resident.my.consentsTitle')}>
      <p className="text-std-18N-160">{t('resident.my.consentsLead')}</p>
      {list.loading && <Loading />}
      <ProblemAlert error={list.error} className="mt-3" />
      {list.data &&
        (list.data.length === 0 ? (
          <p className="mt-3">{t('resident.my.noConsents')}</p>
        ) : (
          <ul className="mt-4 flex flex-col gap-3">
            {list.data.map((c) => {
              const purpose = purposeText(t, c.purpose);
              const active = c.status === 'active';
              return (
                <li key={c.id} className={`rounded-12 border-2 p-4 ${active ? 'border-blue-900' : 'border-solid-gray-300 bg-solid-gray-50'}`}>
                  <h3 className="text-std-20B-150">{purpose}</h3>
                  <ul className="mt-1 text-std-16N-170">
                    <li>{t('resident.my.consentGiven', { date: formatDateTime(c.givenAt, lang) })}</li>
                    {c.withdrawnAt && (
                      <li className="font-bold">{t('resident.my.consentWithdrawnAt', { date: formatDateTime(c.withdrawnAt, lang) })}</li>
                    )}
                    {c.scope.services.length > 0 && (
                      <li>{t('resident.my.consentServices', { services: c.scope.services.map((s) => serviceLabel(t, s)).join(lang === 'en' ? ', ' : '・') })}</li>
                    )}
                    {c.recipients.length > 0 && <li>{t('resident.my.consentRecipients', { names: names(c.recipients) })}</li>}
                    <li className="text-solid-gray-700">{t('resident.my.consentTerms', { version: c.termsVersion })}</li>
                  </ul>
                  {active && (
                    <Button
                      variant="danger"
                      className="mt-3 min-h-14 px-8"
                      aria-label={t('resident.my.withdrawLabel', { purpose })}
                      onClick={() => setConfirming(c)}
                    >
                      {t('resident.my.withdraw')}
                    </Button>
                  )}
                </li>
              );
            })}
          </ul>
        ))}
      <div className="mt-6">
        <h3 className="text-std-20B-150">{t('resident.my.exportTitle')}</h3>
        <ProblemAlert error={exporting.error} className="mt-2" />
        <Button variant="secondary" className="mt-2 min-h-14 px-8" disabled={exporting.busy} onClick={() => void doExport()}>
          {t('resident.my.export')}
        </Button>
      </div>
      {confirming && (
        <ConfirmDialog
          title={t('resident.my.withdrawConfirmTitle')}
          confirmLabel={t('resident.my.withdrawConfirm')}
          cancelLabel={t('resident.my.withdrawCancel')}
          busy={withdraw.busy}
          error={withdraw.error}
          onConfirm={() => void doWithdraw(confirming)}
          onCancel={() => setConfirming(null)}
        >
          {t('resident.my.withdrawConfirmBody', { purpose: purposeText(t, confirming.purpose) })}
        </ConfirmDialog>
      )}
    </Section>
  );
}

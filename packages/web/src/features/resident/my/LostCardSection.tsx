import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { residentApi } from '../../../api/resident';
import { useSubmit } from '../../../hooks/useSubmit';
import { Section } from '../../../components/Section/Section';
import { Button } from '../../../components/Button/Button';
import { ConfirmDialog } from '../../../components/ConfirmDialog/ConfirmDialog';

/** Lost card: suspend it at once (after a confirmation); the session ends with it. */
export function LostCardSection({ onSuspended }: { onSuspended: () => void }) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useSubmit();
  return (
    <Section title={t('resident.my.lostTitle')}>
      <p className="text-std-18N-160">{t('resident.my.lostLead')}</p>
      <Button variant="danger" className="mt-3 min-h-14 px-8" onClick={() => setConfirming(true)}>
        {t('resident.my.lostButton')}
      </Button>
      {confirming && (
        <ConfirmDialog
          title={t('resident.my.lostConfirmTitle')}
          confirmLabel={t('resident.my.lostConfirm')}
          cancelLabel={t('resident.my.withdrawCancel')}
          busy={busy}
          error={error}
          onCancel={() => setConfirming(false)}
          onConfirm={() =>
            void run(async () => {
              await residentApi.suspendCard('lost');
              setConfirming(false);
              onSuspended();
            })
          }
        >
          {t('resident.my.lostConfirmBody')}
        </ConfirmDialog>
      )}
    </Section>
  );
}

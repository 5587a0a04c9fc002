import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/api';
import type { AuditVerifyResult } from '../../../api/types';
import { useSubmit } from '../../../hooks/useSubmit';
import { Button } from '../../../components/Button/Button';
import { ProblemAlert } from '../../../components/ProblemAlert/ProblemAlert';
import { StatusMessage } from '../../../components/StatusMessage/StatusMessage';

/** The 「チェーンを検証」 button and its outcome: ok, or the first broken entry. */
export function AuditVerify({ municipalityCode }: { municipalityCode: string }) {
  const { t } = useTranslation();
  const { busy, error, run } = useSubmit();
  const [result, setResult] = useState<AuditVerifyResult | null>(null);

  const verify = () =>
    run(async () => {
      setResult(null);
      setResult(await api.verifyAudit(municipalityCode));
    });

  return (
    <div className="mt-6 flex flex-col items-start gap-3">
      <Button variant="secondary" onClick={verify} disabled={busy}>
        {busy ? t('audit.verifying') : t('audit.verify')}
      </Button>
      <StatusMessage
        message={result?.ok ? t('audit.verifyOk', { checked: result.checked }) + (result.pending ? ` ${t('audit.verifyPending', { pending: result.pending })}` : '') : null}
        className="w-full"
      />
      {result && !result.ok && (
        <p role="alert" className="w-full rounded-8 border-2 border-error-1 bg-red-50 px-4 py-3 text-std-16B-170">
          {t('audit.verifyBroken', {
            seq: result.brokenAt?.seq ?? '?',
            reason: result.brokenAt?.reason ?? '',
            checked: result.checked,
          })}
        </p>
      )}
      <ProblemAlert error={error} className="w-full" />
    </div>
  );
}

import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { StaffCreated } from '../../../api/types';
import { Button } from '../../../components/Button/Button';

export interface TotpSecretNoticeProps {
  created: StaffCreated;
  onDismiss: () => void;
}

/** Shows a new account's TOTP secret and otpauth URI once, with a warning to record them. */
export function TotpSecretNotice({ created, onDismiss }: TotpSecretNoticeProps) {
  const { t } = useTranslation();
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  return (
    <section
      aria-labelledby="totp-secret-title"
      className="mt-6 rounded-12 border-4 border-warning-yellow-1 bg-yellow-50 p-4"
    >
      <h2 id="totp-secret-title" ref={headingRef} tabIndex={-1} className="text-std-22B-150">
        {t('staff.secretTitle', { name: created.staff.displayName, login: created.staff.loginName })}
      </h2>
      <p className="mt-2 text-std-16B-170">
        <span aria-hidden="true">⚠ </span>
        {t('staff.secretWarning')}
      </p>
      <dl className="mt-4 flex flex-col gap-3">
        <div>
          <dt className="text-std-16B-170">{t('staff.totpSecret')}</dt>
          <dd className="mt-1 rounded-8 border border-solid-gray-420 bg-white px-3 py-2 font-mono text-mono-17B-150 break-all" data-testid="totp-secret">
            {created.totpSecret}
          </dd>
        </div>
        <div>
          <dt className="text-std-16B-170">{t('staff.totpUri')}</dt>
          <dd className="mt-1 rounded-8 border border-solid-gray-420 bg-white px-3 py-2 font-mono text-mono-14N-150 break-all" data-testid="totp-uri">
            {created.totpUri}
          </dd>
        </div>
      </dl>
      <Button variant="secondary" onClick={onDismiss} className="mt-4">
        {t('staff.dismissSecret')}
      </Button>
    </section>
  );
}
